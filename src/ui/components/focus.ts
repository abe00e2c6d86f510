// Initial focus for a form that just opened, without taking it from a field the user already chose.

/** Focuses `el` unless a text control already has the focus (a click or autofill got there first). */
export function focusUnlessTyping(el: HTMLElement | null | undefined): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.matches('input, select, textarea')) return;
  el?.focus();
}
