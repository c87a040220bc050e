// Verify a code for one account: shows the previous, current and next codes, and checks a code
// typed from another device (or one a service rejected) against the steps around now.

import { checkVerifyInput, neighbourLabels } from '../lib/clock-format.js';
import { formatCode, spokenCode } from '../lib/code-format.js';
import { accountLabel, asSentence } from '../lib/labels.js';
import { icon } from './icons.js';
import { clearFieldError, setBusy, showFieldError } from './forms.js';

export function createVerifyDialog(dialog, { api, onFailure }) {
  const $ = (selector) => dialog.querySelector(selector);
  const form = $('#verify-form');
  const code = $('#verify-code');
  const steps = $('#verify-window');
  const submit = $('#verify-submit');
  const error = $('#verify-error');
  const result = $('#verify-result');
  const slots = ['previous', 'current', 'next'];
  let accountId = null;
  let seq = 0;

  function showCodes(codes) {
    for (const slot of slots) {
      const dd = $(`#verify-${slot}`);
      const value = codes?.[slot] ?? null;
      dd.textContent = value ? formatCode(value) : '—';
      if (value) {
        dd.dataset.code = value;
        dd.setAttribute('aria-label', spokenCode(value));
      } else {
        delete dd.dataset.code;
        dd.setAttribute('aria-label', 'none');
      }
      dd.closest('.neighbour').dataset.empty = String(!value);
    }
  }

  async function loadCodes() {
    const mine = ++seq;
    try {
      const codes = await api.neighbourCodes(accountId);
      if (mine === seq && dialog.open) showCodes(codes);
    } catch (failure) {
      if (!onFailure(failure) && mine === seq) showFieldError(error, asSentence(failure.message));
    }
  }

  function showResult({ matched, description }) {
    result.dataset.tone = matched ? 'success' : 'warning';
    result.dataset.matched = String(Boolean(matched));
    result.querySelector('.verdict-icon').replaceChildren(icon(matched ? 'check' : 'alert'));
    result.querySelector('.verdict-title').textContent = matched ? 'The code matches' : 'No match';
    result.querySelector('.verdict-description').textContent = asSentence(description);
    result.hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-busy') === 'true') return;
    clearFieldError(error, code, steps);
    result.hidden = true;
    const checked = checkVerifyInput(code.value, steps.value);
    if (checked.error) {
      const field = checked.field === 'code' ? code : steps;
      showFieldError(error, checked.error, field);
      field.focus();
      return;
    }
    setBusy(submit, true, 'Checking…');
    try {
      showResult(await api.verifyCode(accountId, checked.code, checked.window));
      loadCodes();
    } catch (failure) {
      if (!onFailure(failure)) showFieldError(error, asSentence(failure.message), code);
    } finally {
      setBusy(submit, false);
      code.focus();
      code.select();
    }
  });

  form.addEventListener('input', () => {
    if (!error.hidden) clearFieldError(error, code, steps);
  });
  $('#verify-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // Queued: it may arrive after a quick reopen, which must keep its fresh state.
    if (dialog.open) return;
    seq++;
    form.reset();
    result.hidden = true;
    clearFieldError(error, code, steps);
    showCodes(null);
  });

  return {
    /** Opens for `account` (an AccountView). */
    open(account) {
      accountId = account.id;
      $('#verify-account').textContent = accountLabel(account);
      const labels = neighbourLabels(account.period);
      for (const slot of slots) $(`#verify-${slot}-label`).textContent = labels[slot];
      code.inputMode = account.kind === 'steam' ? 'text' : 'numeric';
      code.placeholder = account.kind === 'steam' ? 'K7WXD' : formatCode('1234567890'.slice(0, account.digits || 6));
      showCodes(null);
      if (!dialog.open) dialog.showModal();
      code.focus();
      loadCodes();
    },
    /** Fetches the codes again (the step turned while the dialog was open). */
    refresh() {
      if (dialog.open && accountId) loadCodes();
    },
    close() {
      if (dialog.open) dialog.close();
    },
    get accountId() {
      return dialog.open ? accountId : null;
    },
  };
}
