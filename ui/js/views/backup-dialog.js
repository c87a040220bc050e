// The backup dialog: pick a format, give a password (or accept a file in clear), and the
// backend asks where to save and writes it. Also the reminder banner above the list.

import { checkBackupInput, isEncrypted, isShown, lastBackupText } from '../lib/backup-form.js';
import { asSentence } from '../lib/labels.js';
import { icon } from './icons.js';
import { clearFieldError, setBusy, showFieldError } from './forms.js';

export function createBackupDialog(dialog, { api, notify, onSaved, onFailure }) {
  const $ = (selector) => dialog.querySelector(selector);
  const form = $('#backup-form');
  const password = $('#backup-password');
  const confirm = $('#backup-confirm');
  const accept = $('#backup-accept-plain');
  const submit = $('#backup-submit');
  const error = $('#backup-error');
  const result = $('#backup-result');
  const fields = { password, confirm, accept };

  const format = () => form.querySelector('input[name="format"]:checked')?.value;

  const transfer = $('#backup-transfer');
  let transferCodes = [];
  let shownCode = 0;

  function showParts() {
    const encrypted = isEncrypted(format());
    const shown = isShown(format());
    $('#backup-encrypted').hidden = !encrypted;
    $('#backup-plain').hidden = encrypted || shown;
    submit.textContent = shown ? 'Show codes' : 'Save backup…';
    clearFieldError(error, password, confirm, accept);
  }

  /** Shows transfer code `index`; the codes leave the page when the dialog closes. */
  function showTransferCode(index) {
    shownCode = Math.max(0, Math.min(index, transferCodes.length - 1));
    const code = transferCodes[shownCode];
    $('#backup-transfer-title').textContent = `Code ${code.part} of ${code.of}`;
    const image = $('#backup-transfer-code');
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.svg)}`;
    image.alt = `Transfer code ${code.part} of ${code.of}`;
    $('#backup-transfer-previous').closest('.form-actions').hidden = transferCodes.length < 2;
    $('#backup-transfer-previous').disabled = shownCode === 0;
    $('#backup-transfer-next').disabled = shownCode === transferCodes.length - 1;
  }

  async function showTransfer() {
    const answer = await api.transferCodes();
    transferCodes = answer.codes;
    const leftOut = $('#backup-transfer-left-out');
    leftOut.hidden = answer.leftOut.length === 0;
    leftOut.textContent = answer.leftOut.length
      ? `Not in the transfer, as Google Authenticator cannot hold them: ${answer.leftOut.map((u) => u.label).join(', ')}.`
      : '';
    form.hidden = true;
    transfer.hidden = false;
    showTransferCode(0);
    $('#backup-transfer-next').focus();
  }

  $('#backup-transfer-previous').addEventListener('click', () => showTransferCode(shownCode - 1));
  $('#backup-transfer-next').addEventListener('click', () => showTransferCode(shownCode + 1));

  function showResult({ path, written, leftOut }) {
    result.querySelector('.verdict-icon').replaceChildren(icon('check'));
    result.querySelector('.verdict-title').textContent = `Saved ${written} ${written === 1 ? 'account' : 'accounts'}`;
    const skipped = leftOut.map((item) => `${item.label} (${item.reason})`).join('; ');
    result.querySelector('.verdict-description').textContent = skipped
      ? `${path}. Left out, as this format cannot hold them: ${skipped}.`
      : `${path}`;
    result.dataset.tone = leftOut.length ? 'warning' : 'success';
    result.hidden = false;
  }

  form.addEventListener('change', (event) => {
    if (event.target.name === 'format') showParts();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-busy') === 'true') return;
    clearFieldError(error, password, confirm, accept);
    result.hidden = true;
    const checked = checkBackupInput({
      format: format(),
      password: password.value,
      confirm: confirm.value,
      acceptPlain: accept.checked,
    });
    if (checked.error) {
      const field = fields[checked.field];
      showFieldError(error, checked.error, field);
      field?.focus();
      return;
    }
    if (checked.show) {
      try {
        await showTransfer();
      } catch (failure) {
        if (!onFailure(failure)) showFieldError(error, asSentence(failure.message));
      }
      return;
    }
    setBusy(submit, true, 'Saving…');
    try {
      const saved = await api.exportBackup(checked.request);
      if (saved) {
        showResult(saved);
        password.value = '';
        confirm.value = '';
        accept.checked = false;
        notify('Backup saved');
        onSaved();
      }
    } catch (failure) {
      if (!onFailure(failure)) showFieldError(error, asSentence(failure.message));
    } finally {
      setBusy(submit, false);
    }
  });

  $('#backup-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (dialog.open) return;
    form.reset();
    result.hidden = true;
    form.hidden = false;
    transfer.hidden = true;
    transferCodes = [];
    $('#backup-transfer-code').removeAttribute('src');
    showParts();
  });

  return {
    /** Opens the dialog; `status` is the last backup_status answer, if any. */
    open(status) {
      $('#backup-last').textContent = lastBackupText(status?.lastBackupMs ?? null, Date.now());
      showParts();
      if (!dialog.open) dialog.showModal();
      form.querySelector('input[name="format"]:checked').focus();
    },
  };
}

/** The banner that asks for a backup; "Later" hides it until the reason changes. */
export function createBackupBanner(banner, { onOpen }) {
  let dismissed = null;
  let shown = null;
  banner.querySelector('#backup-banner-later').addEventListener('click', () => {
    dismissed = shown;
    banner.hidden = true;
  });
  banner.querySelector('#backup-banner-open').addEventListener('click', () => onOpen());
  return {
    /** Shows `reminder` (a sentence) or hides the banner when it is null. */
    show(reminder) {
      shown = reminder ?? null;
      banner.querySelector('#backup-banner-text').textContent = shown ? `${shown}.` : '';
      banner.hidden = !shown || shown === dismissed;
    },
    hide() {
      banner.hidden = true;
    },
  };
}
