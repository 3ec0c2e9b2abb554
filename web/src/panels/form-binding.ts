/**
 * Two-way binding of form controls to the store's FormState: a control shows the state's value and writes
 * changes back. A control the user is typing in is not overwritten by a redraw.
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import { withInvalidField, withoutInvalidFields, type FormState } from '../state/form.js';
import { byId, optionalNumber } from '../dom.js';

type FormUpdate = (form: FormState) => FormState;

export function updateForm(store: Store<AppState>, change: FormUpdate): void {
  store.update((s) => ({ ...s, form: change(s.form) }));
}

export function bindCheckbox(store: Store<AppState>, id: string, read: (f: FormState) => boolean, write: (f: FormState, on: boolean) => FormState): void {
  const box = byId<HTMLInputElement>(id);
  box.addEventListener('change', () => updateForm(store, (f) => write(f, box.checked)));
  store.subscribe((s) => (box.checked = read(s.form)));
}

export function bindSelect<T extends string>(store: Store<AppState>, id: string, read: (f: FormState) => T, write: (f: FormState, value: T) => FormState): void {
  const select = byId<HTMLSelectElement>(id);
  select.addEventListener('change', () => updateForm(store, (f) => write(f, select.value as T)));
  store.subscribe((s) => (select.value = read(s.form)));
}

export interface NumberRule {
  /** Returns a problem in words, or undefined when the value is acceptable (for the app as it is). */
  check?: (value: number, state: AppState) => string | undefined;
  optional?: boolean;
  /**
   * What else the field's value comes from (e.g. the opened map, for settings computed from it): invalid text
   * typed in the field is dropped when this changes, as it is when the value the state holds changes.
   */
  context?: (s: AppState) => unknown;
}

/**
 * A number field; committed on change (Enter or leaving the field).
 *
 * An invalid entry is marked (red border, the problem in its title) and listed in the form state's
 * `invalidFields`, which keeps runs from starting: the state still holds the previous value, so a run would
 * silently use another value than the field shows. The field keeps the invalid text until it is corrected,
 * or until the state moves on under it (its value is reset or computed again, e.g. after a setting it depends
 * on changed, or a new map is opened): then it shows the state's value, unmarked and no longer listed.
 */
export function bindNumber(
  store: Store<AppState>,
  id: string,
  read: (s: AppState) => number | undefined,
  write: (f: FormState, value: number | undefined) => FormState,
  rule: NumberRule = {},
): void {
  const field = byId<HTMLInputElement>(id);
  const hint = field.title;
  const label = document.querySelector(`label[for="${id}"]`)?.textContent?.trim() || field.getAttribute('aria-label') || id;
  /** What the state held when the invalid text was entered: the text stands until that changes. */
  let invalidOver: { value: number | undefined; context: unknown } | undefined;
  /** The state's value the field last showed (NaN before the first redraw). */
  let shown: number | undefined = Number.NaN;
  const mark = (problem: string | undefined) => {
    field.classList.toggle('invalid', Boolean(problem));
    field.title = problem ? `${problem}. ${hint}` : hint;
    field.setCustomValidity(problem ?? '');
  };
  field.addEventListener('change', () => {
    const value = optionalNumber(field.value);
    const problem =
      value === undefined ? (rule.optional ? undefined : 'a value is needed') : !Number.isFinite(value) ? 'not a number' : rule.check?.(value, store.get());
    if (problem) {
      const s = store.get();
      invalidOver = { value: read(s), context: rule.context?.(s) };
      mark(problem);
      updateForm(store, (f) => withInvalidField(f, { id, label, problem }));
    } else {
      invalidOver = undefined;
      mark(undefined);
      updateForm(store, (f) => withoutInvalidFields(write(f, value), [id]));
    }
  });
  store.subscribe((s) => {
    const value = read(s);
    const listed = s.form.invalidFields.find((f) => f.id === id);
    if (listed && invalidOver && sameNumber(value, invalidOver.value) && rule.context?.(s) === invalidOver.context) {
      mark(listed.problem);
      return;
    }
    if (listed) {
      // The state moved on under the invalid text: the field shows its value again, so the entry goes (after
      // this redraw: listeners do not update the store while it tells them of a change).
      queueMicrotask(() => updateForm(store, (f) => withoutInvalidFields(f, [id])));
    }
    const wasInvalid = invalidOver !== undefined; // marked exactly while invalidOver is set
    invalidOver = undefined;
    mark(undefined);
    const text = value === undefined ? '' : String(Number(value.toPrecision(6)));
    // A field the user is typing in is not overwritten by redraws for other changes (a run's progress, another
    // control): its text may be half a number ('1e', or '' on the way to another). It is when the state's
    // value itself moved on (a reset, a value computed again), and for text that was invalid.
    const movedOn = !sameNumber(value, shown);
    shown = value;
    if (document.activeElement !== field || movedOn || wasInvalid) field.value = text;
  });
}

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * A range slider and the number field beside it (`<id>-value`), bound to one value. The slider writes while it
 * is dragged (for live previews); the field takes any value `check` allows, past the slider's range too (the
 * slider then rests at its end). Moving the slider drops invalid text typed in the field, even where it lands
 * on the value held, and so does switching off the checkbox `switchedBy`: a setting switched off keeps no run
 * waiting. `changed` is told after either control set the value.
 */
export function bindSliderAndField(
  store: Store<AppState>,
  id: string,
  read: (f: FormState) => number,
  write: (f: FormState, value: number) => FormState,
  options: { check: NonNullable<NumberRule['check']>; switchedBy?: string; changed?: () => void },
): void {
  const slider = byId<HTMLInputElement>(id);
  const field = `${id}-value`;
  slider.addEventListener('input', () => updateForm(store, (f) => withoutInvalidFields(write(f, Number(slider.value)), [field])));
  store.subscribe((s) => {
    if (document.activeElement !== slider) slider.value = String(read(s.form));
  });
  bindNumber(store, field, (s) => read(s.form), (f, value) => write(f, value!), { check: options.check });
  if (options.switchedBy) {
    const toggle = byId<HTMLInputElement>(options.switchedBy);
    toggle.addEventListener('change', () => !toggle.checked && updateForm(store, (f) => withoutInvalidFields(f, [field])));
  }
  if (options.changed) {
    slider.addEventListener('input', options.changed);
    byId(field).addEventListener('change', options.changed);
  }
}

export const atLeastOne = (v: number) => (v >= 1 ? undefined : 'must be 1 or more');
/** The sigmoid's pivot, as the CLI's --pivot takes it. */
export const pivotRange = (v: number) => (v >= 0.01 && v <= 0.99 ? undefined : 'must be between 0.01 and 0.99');
export const positive = (v: number) => (v > 0 ? undefined : 'must be positive');
export const unitInterval = (v: number) => (v >= 0 && v <= 1 ? undefined : 'must be between 0 and 1');
export const openUnitInterval = (v: number) => (v > 0 && v < 1 ? undefined : 'must be above 0 and below 1');
export const wholeAtLeast = (min: number) => (v: number) => (Number.isInteger(v) && v >= min ? undefined : `must be a whole number of ${min} or more`);
export const oddWhole = (v: number) => (Number.isInteger(v) && v >= 1 && v % 2 === 1 ? undefined : 'must be an odd whole number');
export const evenWhole = (v: number) => (Number.isInteger(v) && v >= 8 && v % 2 === 0 ? undefined : 'must be an even whole number of 8 or more');
