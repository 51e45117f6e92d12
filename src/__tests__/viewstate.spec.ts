import { ViewState } from '../viewstate';

describe('ViewState', () => {
  it('highlights the hovered session, else the selected one', () => {
    const view = new ViewState();
    expect(view.active).toBeNull();
    view.select(1);
    expect(view.active).toBe(1);
    view.hover(2);
    expect(view.active).toBe(2);
    view.hover(null);
    expect(view.active).toBe(1);
    view.select(1); // a second click clears the selection
    expect([view.selected, view.active]).toEqual([null, null]);
  });

  it('asks for the focus once per request and signals each change', () => {
    const view = new ViewState();
    let changes = 0;
    view.changed.connect(() => changes++);
    view.focus(3);
    view.focus(3);
    expect([view.selected, view.pendingFocus, view.focusSeq]).toEqual([
      3, 3, 2
    ]);
    view.focusDone();
    expect(view.pendingFocus).toBeNull();
    view.hover(4);
    view.hover(4); // no change, no signal
    expect(changes).toBe(3);
  });
});
