// The backup dialog: pick a format, give a password (or accept a file in clear), and the
// backend asks where to save and writes it. Also the reminder banner above the list.

import { checkBackupInput, isEncrypted, lastBackupText } from '../lib/backup-form.js';
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

  function showParts() {
    const encrypted = isEncrypted(format());
    $('#backup-encrypted').hidden = !encrypted;
    $('#backup-plain').hidden = encrypted;
    clearFieldError(error, password, confirm, accept);
  }

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
