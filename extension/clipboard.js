// keyferry's clipboard helper, for the background (the core decides what
// and when; see src/web/carry.rs). Runs where there is a DOM: Chrome's
// offscreen document (offscreen.html), Firefox's event page. Writing needs
// "clipboardWrite"; comparing before a clear needs "clipboardRead".
// Never logs or returns the clipboard's content.

/** Puts `text` on the clipboard. */
export function writeClipboard(text) {
  const onCopy = (e) => { e.clipboardData.setData('text/plain', String(text)); e.preventDefault(); };
  document.addEventListener('copy', onCopy);
  try {
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    document.removeEventListener('copy', onCopy);
  }
  return 'copied';
}

/** Clears the clipboard only if it still holds `text` (what keyferry copied). */
export function clearClipboardIf(text) {
  const probe = document.createElement('textarea');
  document.body.append(probe);
  probe.focus();
  let holds = false;
  try {
    document.execCommand('paste');
    holds = typeof text === 'string' && text.length > 0 && probe.value === text;
  } finally {
    probe.value = '';
    probe.remove();
  }
  if (!holds) return 'kept';
  writeClipboard('');
  return 'cleared';
}
