// The review step before accounts found by a QR scan or in a backup are added: each account
// with its type, duplicates of existing accounts marked and unticked, entries Tessera cannot
// use listed by name. Also asks for an encrypted backup's password, and offers to delete the
// screenshot the accounts came from.

import { asSentence } from '../lib/labels.js';
import { addLabel, defaultChoice, kindText, transferText } from '../lib/review.js';
import { icon } from './icons.js';
import { clearFieldError, setBusy, showFieldError } from './forms.js';

export function createReviewDialog(dialog, { api, notify, onAdded, scanMore, onFailure }) {
  const $ = (selector) => dialog.querySelector(selector);
  const list = $('#review-list');
  const all = $('#review-all');
  const add = $('#review-add');
  const error = $('#review-error');
  const unusable = $('#review-unusable');
  const transfer = $('#review-transfer');
  const choose = $('#review-choose');
  const after = $('#review-after');
  const passwordForm = $('#review-password-form');
  const password = $('#review-password');
  const passwordError = $('#review-password-error');
  let items = [];

  const ticked = () => [...list.querySelectorAll('.review-pick:checked')].map((box) => Number(box.value));

  function updateButton() {
    const count = ticked().length;
    add.textContent = addLabel(count);
    add.disabled = count === 0;
    const fresh = items.filter((item) => !item.duplicateOf).length;
    all.checked = fresh > 0 && count >= fresh;
  }

  function row(item, checked) {
    const li = document.createElement('li');
    li.className = 'review-item';
    li.dataset.index = String(item.index);
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'review-pick';
    box.value = String(item.index);
    box.checked = checked;
    const text = document.createElement('span');
    text.className = 'review-text';
    const issuer = document.createElement('span');
    issuer.className = 'review-issuer';
    issuer.textContent = item.issuer || item.name || 'Unnamed account';
    const detail = document.createElement('span');
    detail.className = 'review-detail';
    detail.textContent = [item.issuer ? item.name : '', kindText(item)].filter(Boolean).join(' · ');
    text.append(issuer, detail);
    if (item.duplicateOf) {
      const dup = document.createElement('span');
      dup.className = 'review-duplicate';
      dup.textContent = `Already in Tessera as ${item.duplicateOf}`;
      text.append(dup);
      li.dataset.duplicate = 'true';
    }
    label.append(box, text);
    li.append(label);
    return li;
  }

  function show(view) {
    items = view.items;
    $('#review-source').textContent = `Found ${view.source}`;
    const keep = new Set(defaultChoice(items));
    list.replaceChildren(...items.map((item) => row(item, keep.has(item.index))));
    const progress = transferText(view.transfers);
    transfer.hidden = !progress;
    if (progress) {
      transfer.querySelector('.verdict-icon').replaceChildren(icon('alert'));
      transfer.querySelector('.verdict-title').textContent = progress.title;
      transfer.querySelector('.verdict-description').textContent = progress.description;
    }
    unusable.hidden = view.unusable.length === 0;
    unusable.querySelector('summary').textContent =
      `${view.unusable.length} ${view.unusable.length === 1 ? 'entry' : 'entries'} Tessera cannot use`;
    unusable.querySelector('ul').replaceChildren(
      ...view.unusable.map(({ label, reason }) => {
        const li = document.createElement('li');
        li.textContent = `${label}: ${reason}`;
        return li;
      }),
    );
    $('#review-title').textContent = 'Choose the accounts to add';
    passwordForm.hidden = true;
    choose.hidden = false;
    after.hidden = true;
    clearFieldError(error);
    updateButton();
    if (!dialog.open) dialog.showModal();
    (list.querySelector('.review-pick') ?? add).focus();
  }

  function askPassword({ format, file }) {
    $('#review-title').textContent = 'Open an encrypted backup';
    $('#review-source').textContent = file;
    $('#review-password-intro').textContent = `This ${format} backup is encrypted. Type the password it was saved with.`;
    passwordForm.hidden = false;
    choose.hidden = true;
    after.hidden = true;
    password.value = '';
    clearFieldError(passwordError, password);
    if (!dialog.open) dialog.showModal();
    password.focus();
  }

  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = $('#review-password-submit');
    if (submit.getAttribute('aria-busy') === 'true') return;
    clearFieldError(passwordError, password);
    setBusy(submit, true, 'Opening…');
    try {
      show(await api.unlockBackup(password.value));
    } catch (failure) {
      if (!onFailure(failure)) showFieldError(passwordError, asSentence(failure.message), password);
      password.select();
    } finally {
      setBusy(submit, false);
      password.value = passwordForm.hidden ? '' : password.value;
    }
  });

  list.addEventListener('change', updateButton);
  all.addEventListener('change', () => {
    for (const box of list.querySelectorAll('.review-pick')) {
      const item = items.find((i) => i.index === Number(box.value));
      if (!item?.duplicateOf) box.checked = all.checked;
    }
    updateButton();
  });

  add.addEventListener('click', async () => {
    if (add.getAttribute('aria-busy') === 'true') return;
    setBusy(add, true, 'Adding…');
    try {
      const { added, imageFile } = await api.confirmReview(ticked());
      notify(`Added ${added} ${added === 1 ? 'account' : 'accounts'}`);
      onAdded();
      if (imageFile) {
        $('#review-title').textContent = 'Delete the screenshot?';
        $('#review-after-text').textContent =
          `${imageFile} holds the secret keys of the accounts you just added. Anyone who finds it can make your codes.`;
        choose.hidden = true;
        after.hidden = false;
        $('#review-delete-image').focus();
      } else {
        dialog.close();
      }
    } catch (failure) {
      if (!onFailure(failure)) showFieldError(error, asSentence(failure.message));
    } finally {
      setBusy(add, false);
      updateButton();
    }
  });

  $('#review-delete-image').addEventListener('click', async () => {
    try {
      const name = await api.deleteScannedImage();
      notify(`Deleted ${name}`);
    } catch (failure) {
      if (!onFailure(failure)) notify(asSentence(failure.message));
    }
    dialog.close();
  });
  $('#review-keep-image').addEventListener('click', () => dialog.close());

  $('#review-scan-more').addEventListener('click', () => scanMore());

  const cancel = () => dialog.close();
  $('#review-close').addEventListener('click', cancel);
  $('#review-cancel').addEventListener('click', cancel);
  dialog.addEventListener('close', () => {
    if (dialog.open) return;
    // Whatever was not added is forgotten, in the backend too.
    if (!choose.hidden || !passwordForm.hidden) api.discardReview().catch(() => {});
    list.replaceChildren();
    items = [];
    password.value = '';
  });

  return { show, askPassword };
}
