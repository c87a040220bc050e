// Settings: the vault password, keyring unlock, auto-lock, copying, the clock correction switch,
// the backup reminder and the sync conflict copies. Each control talks to the backend as soon as it changes; a failure puts
// the control back and shows the message inside the section concerned.

import { asSentence } from '../lib/labels.js';
import { autoLockOptions } from '../lib/idle-timer.js';
import { REMINDER_CHOICES, lastBackupText, reminderLabel } from '../lib/backup-form.js';
import { CLEAR_CHOICES, clearLabel } from '../lib/copy-settings.js';

/** Shortcuts offered for quick pick: free on common desktops. */
const QUICK_PICK_CHOICES = ['Ctrl+Shift+Space', 'Ctrl+Alt+K', 'Super+Shift+K'];
import { icon } from './icons.js';
import { bindNewPassword, clearFieldError, setBusy, showFieldError } from './forms.js';

export function createSettingsDialog(dialog, { api, notify, openClock, openBackup, onBackupStatus, onCloseToTray, onOrder, onCompact, onAutoLock, onCorrection, onConflicts, onRestored, onFailure }) {
  const $ = (selector) => dialog.querySelector(selector);
  const error = $('#settings-error');
  const body = $('.settings-body');
  const passwordForm = $('#settings-password-form');
  const current = $('#settings-current');
  const fresh = $('#settings-new');
  const confirm = $('#settings-confirm');
  const changeButton = $('#settings-change-password');
  const keyring = $('#settings-keyring');
  const keyringOff = $('#settings-keyring-off');
  const keyringPassword = $('#settings-keyring-password');
  const keyringOffButton = $('#settings-keyring-off-button');
  const deletedList = $('#settings-deleted');
  const deletedEmpty = $('#settings-deleted-empty');
  const autoLock = $('#settings-auto-lock');
  const closeToTray = $('#settings-close-to-tray');
  const order = $('#settings-order');
  const compact = $('#settings-compact');
  const correction = $('#settings-correction');
  const correctionHint = $('#settings-correction-hint');
  const conflictList = $('#settings-conflicts');
  const conflictsEmpty = $('#settings-conflicts-empty');
  const conflictsIntro = $('#settings-conflicts-intro');
  const section = (name) => $(`[data-section="${name}"]`);
  const clear = $('#settings-clear');
  const quickPick = $('#settings-quick-pick');
  const notifyCopies = $('#settings-notify');
  const backupLast = $('#settings-backup-last');
  const reminder = $('#settings-backup-reminder');

  const pair = bindNewPassword({
    password: fresh,
    confirm,
    strength: $('#settings-strength'),
    hint: $('#settings-confirm-hint'),
    submit: changeButton,
    ready: () => current.value !== '',
  });
  current.addEventListener('input', pair.update);

  /** Shows a message at the end of `sectionName`'s section, marking `field` if given. */
  function fail(sectionName, message, field) {
    clearError();
    section(sectionName).append(error);
    showFieldError(error, asSentence(message), field);
    error.scrollIntoView({ block: 'nearest' });
  }

  function clearError() {
    clearFieldError(error, ...dialog.querySelectorAll('[aria-invalid="true"]'));
    body.append(error);
    // The confirmation field's own check owns its aria-invalid.
    pair.update();
  }

  /** Runs a backend call; `locked` failures go to the app (which shows the unlock screen). */
  async function call(sectionName, request, field) {
    try {
      return { ok: true, value: await request() };
    } catch (failure) {
      if (onFailure(failure)) return { ok: false };
      fail(sectionName, failure.message, field);
      return { ok: false, failure };
    }
  }

  // Password

  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!pair.valid() || changeButton.getAttribute('aria-busy') === 'true') return;
    clearError();
    setBusy(changeButton, true, 'Changing…');
    const result = await call('password', () => api.changePassword(current.value, fresh.value));
    setBusy(changeButton, false);
    if (result.ok) {
      passwordForm.reset();
      notify('Password changed');
    } else if (result.failure?.kind === 'wrong_password') {
      current.setAttribute('aria-invalid', 'true');
      current.setAttribute('aria-errormessage', error.id);
      current.focus();
      current.select();
    }
    pair.update();
  });
  passwordForm.addEventListener('input', () => {
    if (!error.hidden && error.parentElement === section('password')) clearError();
  });

  // Switches and the select: optimistic, put back on failure.

  async function toggle(input, sectionName, request, after) {
    clearError();
    const wanted = input.checked;
    input.disabled = true;
    const result = await call(sectionName, () => request(wanted), input);
    input.disabled = false;
    if (!result.ok) {
      input.checked = !wanted;
    } else {
      after?.(wanted, result.value);
    }
    input.focus();
  }

  // Turning keyring unlock off gives the vault a new key, which needs the password: the
  // switch stays off while the password is asked for, and "Keep it on" puts it back.
  function hideKeyringOff() {
    keyringPassword.value = '';
    keyringOff.hidden = true;
  }

  keyring.addEventListener('change', () => {
    if (keyring.checked) {
      hideKeyringOff();
      toggle(keyring, 'unlock', (on) => api.setKeyringUnlock(on), () =>
        notify('The system keyring will unlock Tessera'),
      );
    } else {
      clearError();
      keyringOff.hidden = false;
      keyringPassword.focus();
    }
  });
  $('#settings-keyring-cancel').addEventListener('click', () => {
    hideKeyringOff();
    clearError();
    keyring.checked = true;
    keyring.focus();
  });
  keyringOff.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (keyringOffButton.getAttribute('aria-busy') === 'true') return;
    if (!keyringPassword.value) {
      fail('unlock', 'Enter the vault password to turn keyring unlock off.', keyringPassword);
      keyringPassword.focus();
      return;
    }
    clearError();
    setBusy(keyringOffButton, true, 'Turning off…');
    const result = await call('unlock', () => api.setKeyringUnlock(false, keyringPassword.value), keyringPassword);
    setBusy(keyringOffButton, false);
    if (result.ok) {
      hideKeyringOff();
      notify('Keyring unlock turned off');
      keyring.focus();
    } else {
      keyringPassword.select();
    }
  });

  // Recently deleted accounts: restorable for 30 days, on any computer of the vault.

  async function loadDeleted() {
    const result = await call('deleted', () => api.recentlyDeleted());
    if (!result.ok) return;
    const items = result.value ?? [];
    deletedEmpty.hidden = false;
    deletedList.replaceChildren(...items.map(deletedItem));
  }

  function deletedItem({ id, issuer, name, deletedAt }) {
    const li = document.createElement('li');
    li.className = 'conflict';
    const head = document.createElement('div');
    head.className = 'conflict-head';
    const label = document.createElement('span');
    label.className = 'conflict-name';
    const who = [issuer, name].filter(Boolean).join(' · ') || 'Unnamed account';
    const when = new Date(deletedAt * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
    label.textContent = `${who} — deleted ${when}`;
    const restore = document.createElement('button');
    restore.type = 'button';
    restore.className = 'button button-small';
    restore.setAttribute('aria-label', `Restore ${who}`);
    restore.append(labelSpan('Restore'));
    restore.addEventListener('click', async () => {
      clearError();
      setBusy(restore, true, 'Restoring…');
      const answer = await call('deleted', () => api.restoreAccount(id));
      setBusy(restore, false);
      if (answer.ok) {
        li.remove();
        notify(`Restored ${who}`);
        onRestored?.();
      }
    });
    head.append(label, restore);
    li.append(head);
    return li;
  }

  correction.addEventListener('change', () =>
    toggle(correction, 'clock', api.setClockCorrection, (on, answer) => onCorrection(on, answer)),
  );

  autoLock.addEventListener('change', async () => {
    clearError();
    const minutes = Number(autoLock.value);
    const previous = autoLock.dataset.saved;
    const result = await call('unlock', () => api.setAutoLock(minutes), autoLock);
    if (result.ok) {
      autoLock.dataset.saved = autoLock.value;
      onAutoLock(minutes);
    } else if (previous !== undefined) {
      autoLock.value = previous;
    }
  });

  $('#settings-open-clock').addEventListener('click', () => {
    dialog.close();
    openClock();
  });

  // Conflict copies

  function renderConflicts(conflicts) {
    conflictsEmpty.hidden = conflicts.length > 0;
    conflictsIntro.hidden = conflicts.length === 0;
    conflictList.replaceChildren(...conflicts.map(conflictItem));
  }

  function conflictItem({ name }) {
    const li = document.createElement('li');
    li.className = 'conflict';
    li.dataset.name = name;
    const head = document.createElement('div');
    head.className = 'conflict-head';
    const label = document.createElement('span');
    label.className = 'conflict-name';
    label.textContent = name;
    const merge = document.createElement('button');
    merge.type = 'button';
    merge.className = 'button button-small conflict-merge';
    merge.setAttribute('aria-label', `Merge ${name}`);
    merge.append(icon('merge'), labelSpan('Merge'));
    merge.addEventListener('click', () => mergeCopy(li, null));
    head.append(label, merge);
    li.append(head);
    return li;
  }

  function labelSpan(text) {
    const span = document.createElement('span');
    span.className = 'button-label';
    span.textContent = text;
    return span;
  }

  /** Asks for the copy's own password inside its item; Enter or the button retries. */
  function askPassword(li) {
    let form = li.querySelector('.conflict-password');
    if (!form) {
      const id = `conflict-password-${[...conflictList.children].indexOf(li)}`;
      form = document.createElement('form');
      form.className = 'conflict-password';
      form.noValidate = true;
      const field = document.createElement('div');
      field.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = 'Password of this copy';
      const input = document.createElement('input');
      input.id = id;
      input.type = 'password';
      input.autocomplete = 'off';
      input.spellcheck = false;
      field.append(label, input);
      const retry = document.createElement('button');
      retry.type = 'submit';
      retry.className = 'button button-primary conflict-retry';
      retry.append(labelSpan('Merge'));
      const hint = document.createElement('p');
      hint.className = 'field-hint';
      hint.textContent = 'This copy was saved with another password, perhaps before it was changed.';
      form.append(field, retry, hint);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (input.value) mergeCopy(li, input.value);
        else input.focus();
      });
      li.append(form);
      li.querySelector('.conflict-merge').hidden = true;
    }
    const input = form.querySelector('input');
    input.focus();
    input.select();
  }

  async function mergeCopy(li, password) {
    clearError();
    const name = li.dataset.name;
    const button = password === null ? li.querySelector('.conflict-merge') : li.querySelector('.conflict-retry');
    setBusy(button, true, 'Merging…');
    const input = li.querySelector('.conflict-password input');
    const result = await call('conflicts', () => api.mergeConflict(name, password), input);
    setBusy(button, false);
    if (result.ok) {
      const { added = 0, updated = 0, removed = 0 } = result.value ?? {};
      notify(`Merged: ${added} added, ${updated} updated, ${removed} removed`);
      await loadConflicts();
      onConflicts();
      (conflictList.querySelector('button') ?? $('#settings-close')).focus();
    } else if (result.failure?.kind === 'password_needed') {
      clearError();
      askPassword(li);
    } else if (input) {
      input.focus();
      input.select();
    }
  }

  async function loadConflicts() {
    const result = await call('conflicts', api.listConflicts);
    renderConflicts(result.ok ? result.value ?? [] : []);
    return result.ok ? result.value ?? [] : [];
  }

  function showCopy({ clearSeconds, notify: notifies }) {
    const choices = CLEAR_CHOICES.includes(clearSeconds) ? CLEAR_CHOICES : [...CLEAR_CHOICES, clearSeconds];
    clear.replaceChildren(...choices.map((seconds) => new Option(clearLabel(seconds), String(seconds))));
    clear.value = String(clearSeconds);
    notifyCopies.checked = notifies;
  }

  async function loadCopy() {
    const result = await call('copy', api.copySettings);
    if (result.ok) showCopy(result.value);
  }

  async function saveCopy(field) {
    const result = await call('copy', () => api.setCopySettings(Number(clear.value), notifyCopies.checked), field);
    if (result.ok) {
      showCopy(result.value);
      notify('Copy settings saved');
    } else {
      await loadCopy();
    }
  }

  clear.addEventListener('change', () => saveCopy(clear));

  function showQuickPick(current) {
    const choices = QUICK_PICK_CHOICES.includes(current) || current === null
      ? QUICK_PICK_CHOICES
      : [current, ...QUICK_PICK_CHOICES];
    quickPick.replaceChildren(
      ...choices.map((shortcut) => new Option(shortcut, shortcut)),
      new Option('Off', ''),
    );
    quickPick.value = current ?? '';
    quickPick.dataset.saved = quickPick.value;
  }

  async function loadQuickPick() {
    const result = await call('copy', api.quickPickShortcut);
    if (result.ok) showQuickPick(result.value);
  }

  quickPick.addEventListener('change', async () => {
    const wanted = quickPick.value || null;
    const result = await call('copy', () => api.setQuickPickShortcut(wanted), quickPick);
    if (result.ok) {
      showQuickPick(result.value);
      notify(result.value ? `Quick pick: ${result.value}` : 'Quick pick turned off');
    } else {
      quickPick.value = quickPick.dataset.saved ?? '';
    }
  });

  compact.addEventListener('change', async () => {
    const wanted = compact.checked;
    const result = await call('list', () => api.setCompact(wanted), compact);
    if (result.ok) onCompact(wanted);
    else compact.checked = !wanted;
  });

  order.addEventListener('change', async () => {
    const wanted = order.value;
    const result = await call('list', () => api.setOrder(wanted), order);
    if (result.ok) {
      order.dataset.saved = wanted;
      onOrder(wanted);
      notify(wanted === 'alphabetical' ? 'Accounts listed alphabetically' : 'Accounts listed in your own order');
    } else {
      order.value = order.dataset.saved ?? 'manual';
    }
  });

  closeToTray.addEventListener('change', async () => {
    const wanted = closeToTray.checked;
    const result = await call('unlock', () => api.setCloseToTray(wanted), closeToTray);
    if (result.ok) {
      onCloseToTray(wanted);
      notify(wanted ? 'Tessera stays in the tray when closed' : 'Closing the window quits Tessera');
    } else {
      closeToTray.checked = !wanted;
    }
  });
  notifyCopies.addEventListener('change', () => saveCopy(notifyCopies));

  function showBackup(status) {
    backupLast.textContent = lastBackupText(status.lastBackupMs, Date.now());
    const choices = REMINDER_CHOICES.includes(status.reminderDays)
      ? REMINDER_CHOICES
      : [...REMINDER_CHOICES, status.reminderDays];
    reminder.replaceChildren(...choices.map((days) => new Option(reminderLabel(days), String(days))));
    reminder.value = String(status.reminderDays);
    reminder.dataset.saved = reminder.value;
    onBackupStatus(status);
  }

  async function loadBackup() {
    const result = await call('backup', api.backupStatus);
    if (result.ok) showBackup(result.value);
  }

  reminder.addEventListener('change', async () => {
    const result = await call('backup', () => api.setBackupReminder(Number(reminder.value)), reminder);
    if (result.ok) {
      showBackup(result.value);
      notify('Backup reminder saved');
    } else {
      reminder.value = reminder.dataset.saved ?? reminder.value;
    }
  });

  $('#settings-open-backup').addEventListener('click', () => {
    dialog.close();
    openBackup();
  });

  async function loadClock() {
    const result = await call('clock', api.clockStatus);
    const measured = Boolean(result.ok && result.value?.measurement);
    correction.checked = Boolean(result.ok && result.value?.correctionEnabled);
    correction.disabled = !measured && !correction.checked;
    correctionHint.textContent = measured || correction.checked
      ? 'Codes follow the measured time instead of this computer’s clock.'
      : 'Check the clock first: the switch needs a measurement.';
  }

  function reset() {
    passwordForm.reset();
    hideKeyringOff();
    deletedList.replaceChildren();
    clearError();
    pair.update();
  }

  $('#settings-close').addEventListener('click', () => dialog.close());
  // The close event is queued and may arrive after a quick reopen: only clear a closed dialog.
  dialog.addEventListener('close', () => {
    if (!dialog.open) reset();
  });

  return {
    /** Opens with the current status; `focus: "conflicts"` scrolls to the conflict copies. */
    async open({ keyringSlot = false, autoLockMinutes = 0, closeToTray: toTray = false, order: listOrder = 'manual', compact: compactRows = false, focus = null } = {}) {
      reset();
      compact.checked = Boolean(compactRows);
      order.value = listOrder;
      order.dataset.saved = listOrder;
      keyring.checked = Boolean(keyringSlot);
      closeToTray.checked = Boolean(toTray);
      autoLock.replaceChildren(
        ...autoLockOptions(autoLockMinutes).map(({ value, label }) => new Option(label, value)),
      );
      autoLock.value = String(autoLockMinutes ?? 0);
      autoLock.dataset.saved = autoLock.value;
      conflictList.replaceChildren();
      if (!dialog.open) dialog.showModal();
      if (focus !== 'conflicts') current.focus();
      await Promise.all([loadConflicts(), loadClock(), loadBackup(), loadCopy(), loadQuickPick(), loadDeleted()]);
      if (focus === 'conflicts') {
        section('conflicts').scrollIntoView({ block: 'start' });
        (conflictList.querySelector('button') ?? $('#settings-close')).focus();
      }
    },
    /** Keeps the correction switch in step when the clock dialog changes it. */
    setCorrection(enabled) {
      correction.checked = enabled;
    },
    close() {
      if (dialog.open) dialog.close();
    },
  };
}
