/**
 * The app's one mutable thing: a state object replaced (never mutated) on each change, and listeners told
 * after each replacement. Panels read what they need and redraw; nothing else holds state of its own.
 */
/** `previous` is undefined on the first call (at subscription), so a listener draws everything then. */
export type Listener<T> = (state: T, previous: T | undefined) => void;

export class Store<T> {
  private listeners: Listener<T>[] = [];

  constructor(private state: T) {}

  get(): T {
    return this.state;
  }

  update(change: (state: T) => T): void {
    const previous = this.state;
    this.state = change(previous);
    if (this.state !== previous) for (const listener of this.listeners) listener(this.state, previous);
  }

  /** Calls `listener` now and after every change; returns the unsubscribe function. */
  subscribe(listener: Listener<T>): () => void {
    this.listeners.push(listener);
    listener(this.state, undefined);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
