/**
 * Two-way binding of form controls to the store's FormState: a control shows the state's value and writes
 * changes back. A control the user is typing in is not overwritten by a redraw.
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import type { FormState } from '../state/form.js';
import { byId, optionalNumber } from './dom.js';

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
  /** Returns a problem in words, or undefined when the value is acceptable. */
  check?: (value: number) => string | undefined;
  optional?: boolean;
}

/**
 * A number field; committed on change (Enter or leaving the field). An invalid entry is marked and explained
 * in its title, and the state keeps its previous value.
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
  field.addEventListener('change', () => {
    const value = optionalNumber(field.value);
    const problem =
      value === undefined ? (rule.optional ? undefined : 'a value is needed') : !Number.isFinite(value) ? 'not a number' : rule.check?.(value);
    field.classList.toggle('invalid', Boolean(problem));
    field.title = problem ? `${problem}. ${hint}` : hint;
    field.setCustomValidity(problem ?? '');
    if (!problem) updateForm(store, (f) => write(f, value));
  });
  store.subscribe((s) => {
    if (document.activeElement === field && field.classList.contains('invalid')) return;
    const value = read(s);
    const text = value === undefined ? '' : String(Number(value.toPrecision(6)));
    if (document.activeElement !== field || field.value === '') field.value = text;
  });
}

/** A range slider with a number shown beside it, updated while dragging (for live previews). */
export function bindSlider(store: Store<AppState>, id: string, read: (f: FormState) => number, write: (f: FormState, value: number) => FormState): void {
  const slider = byId<HTMLInputElement>(id);
  const output = document.getElementById(`${id}-value`);
  slider.addEventListener('input', () => updateForm(store, (f) => write(f, Number(slider.value))));
  store.subscribe((s) => {
    const value = read(s.form);
    if (document.activeElement !== slider) slider.value = String(value);
    if (output) output.textContent = String(value);
  });
}

export const positive = (v: number) => (v > 0 ? undefined : 'must be positive');
export const unitInterval = (v: number) => (v >= 0 && v <= 1 ? undefined : 'must be between 0 and 1');
export const wholeAtLeast = (min: number) => (v: number) => (Number.isInteger(v) && v >= min ? undefined : `must be a whole number of ${min} or more`);
export const oddWhole = (v: number) => (Number.isInteger(v) && v >= 1 && v % 2 === 1 ? undefined : 'must be an odd whole number');
export const evenWhole = (v: number) => (Number.isInteger(v) && v >= 8 && v % 2 === 0 ? undefined : 'must be an even whole number of 8 or more');
