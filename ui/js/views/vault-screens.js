// The two screens shown instead of the list: creating the vault on first run, and unlocking it.
// Passwords never outlive the screen: the fields are emptied as soon as the backend answers.

import { asSentence } from '../lib/labels.js';
import { bindNewPassword, clearFieldError, setBusy, showFieldError } from './forms.js';

const byId = (id) => document.getElementById(id);

/** The create screen: calls `create(password, useKeyring)` and then `onCreated(answer)`. */
export function createCreateScreen({ create, onCreated }) {
  const root = byId('create-vault');
  const form = byId('create-form');
  const password = byId('create-password');
  const confirm = byId('create-confirm');
  const keyring = byId('create-keyring');
  const submit = byId('create-submit');
  const error = byId('create-error');
  const pair = bindNewPassword({
    password,
    confirm,
    strength: byId('create-strength'),
    hint: byId('create-confirm-hint'),
    submit,
  });
  let busy = false;

  form.addEventListener('input', () => clearFieldError(error));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || !pair.valid()) return;
    busy = true;
    clearFieldError(error);
    setBusy(submit, true, 'Creating vault…');
    form.setAttribute('aria-busy', 'true');
    try {
      const answer = await create(password.value, keyring.checked);
      form.reset();
      pair.update();
      onCreated(answer ?? {});
    } catch (failure) {
      showFieldError(error, failure.message);
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
      setBusy(submit, false);
      pair.update();
    }
  });

  return {
    show() {
      root.hidden = false;
      pair.update();
      password.focus();
    },
    hide() {
      root.hidden = true;
      form.reset();
      clearFieldError(error);
      pair.update();
    },
  };
}

/**
 * The unlock screen: a password, and the system keyring when the vault has a keyring slot.
 * `onUnlocked()` runs after either succeeds.
 */
export function createUnlockScreen({ unlock, unlockWithKeyring, onUnlocked }) {
  const root = byId('unlock');
  const form = byId('unlock-form');
  const password = byId('unlock-password');
  const submit = byId('unlock-submit');
  const keyringButton = byId('unlock-keyring');
  const error = byId('unlock-error');
  const path = byId('unlock-path');
  const title = byId('unlock-title');
  const lead = byId('unlock-lead');
  const usual = { title: title.textContent, lead: lead.textContent };
  let busy = false;

  function fail(message, { onField = true } = {}) {
    showFieldError(error, message, onField ? password : null);
    password.focus();
    if (onField) password.select();
  }

  async function attempt(button, busyLabel, request) {
    if (busy) return false;
    busy = true;
    clearFieldError(error, password);
    setBusy(button, true, busyLabel);
    const other = button === submit ? keyringButton : submit;
    other.disabled = true;
    try {
      await request();
      password.value = '';
      onUnlocked();
      return true;
    } catch (failure) {
      // A keyring failure is not the password's fault: the message shows, the field stays clean.
      fail(asSentence(failure.message), { onField: button === submit });
      return false;
    } finally {
      busy = false;
      setBusy(button, false);
      other.disabled = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!password.value) {
      fail('Enter your vault password.');
      return;
    }
    attempt(submit, 'Unlocking…', () => unlock(password.value));
  });
  keyringButton.addEventListener('click', () => attempt(keyringButton, 'Asking the keyring…', unlockWithKeyring));
  password.addEventListener('input', () => {
    if (!error.hidden) clearFieldError(error, password);
  });

  return {
    /**
     * Shows the screen; with `tryKeyring`, asks the keyring once straight away. With
     * `rotated`, says that another device changed the password (the one typed is the new one).
     */
    show({ vaultPath = '', keyringSlot = false, tryKeyring = false, rotated = false } = {}) {
      root.hidden = false;
      title.textContent = rotated ? 'The password was changed' : usual.title;
      lead.textContent = rotated
        ? 'Another device gave this vault a new password. Enter it to go on: nothing this computer holds is lost.'
        : usual.lead;
      path.textContent = vaultPath;
      path.closest('.gate-path').hidden = !vaultPath;
      keyringButton.hidden = !keyringSlot;
      password.focus();
      if (keyringSlot && tryKeyring) {
        attempt(keyringButton, 'Asking the keyring…', unlockWithKeyring);
      }
    },
    hide() {
      root.hidden = true;
      password.value = '';
      clearFieldError(error, password);
    },
  };
}
