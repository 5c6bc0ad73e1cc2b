// Chrome offscreen document (reason CLIPBOARD): the service worker has no
// DOM, so it asks this page to write or clear the clipboard. Answers only
// the extension itself.
import { clearClipboardIf, writeClipboard } from './clipboard.js';

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  const job = msg?.kfClipboard;
  if (sender.id !== chrome.runtime.id || !job || typeof job.text !== 'string') return false;
  try {
    reply(job.op === 'write' ? writeClipboard(job.text) : job.op === 'clear_if' ? clearClipboardIf(job.text) : 'unknown');
  } catch {
    reply('failed');
  }
  return false;
});
