import { ISignal, Signal } from '@lumino/signaling';

/**
 * What the user looks at in the panel: the selected and hovered sessions,
 * and a session the panel was asked to focus.
 */
export class ViewState {
  /**
   * The selected session (click, Enter or the open command), or null.
   */
  get selected(): number | null {
    return this._selected;
  }

  /**
   * The session whose relations the panel highlights: the hovered (or
   * keyboard-focused) one, else the selected one, or null.
   */
  get active(): number | null {
    return this._hovered ?? this._selected;
  }

  /**
   * A session to move the keyboard focus to once it is rendered, or null.
   */
  get pendingFocus(): number | null {
    return this._pendingFocus;
  }

  /**
   * Increases with each focus request.
   */
  get focusSeq(): number {
    return this._focusSeq;
  }

  /**
   * Emitted on any change.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Toggle the selection of a session.
   */
  select = (id: number | null): void => {
    this._selected = id === this._selected ? null : id;
    this._pendingFocus = null;
    this._changed.emit();
  };

  /**
   * Set the hovered session.
   */
  hover = (id: number | null): void => {
    if (id === this._hovered) {
      return;
    }
    this._hovered = id;
    this._changed.emit();
  };

  /**
   * Select a session and move the keyboard focus to it.
   */
  focus(id: number): void {
    this._selected = id;
    this._pendingFocus = id;
    this._focusSeq++;
    this._changed.emit();
  }

  /**
   * The view moved the focus.
   */
  focusDone(): void {
    this._pendingFocus = null;
  }

  private _selected: number | null = null;
  private _hovered: number | null = null;
  private _pendingFocus: number | null = null;
  private _focusSeq = 0;
  private _changed = new Signal<this, void>(this);
}
