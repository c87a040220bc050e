// Entry point: loads the status and the accounts, keeps the codes current with one timer
// aimed at the next moment something changes, and wires the views to the backend.

import * as api from './api.js';
import { ClockSync, delayUntil, nextWake, retryDelay } from './lib/countdown.js';
import { accountLabel } from './lib/labels.js';
import { createAccountList } from './views/account-list.js';
import { createAddDialog } from './views/add-dialog.js';
import { createConfirmDialog } from './views/confirm-dialog.js';
import { createStatus } from './views/status.js';
import { createToast } from './views/toast.js';

const byId = (id) => document.getElementById(id);

const clock = new ClockSync();
const toast = createToast(byId('toast'));
const status = createStatus(byId('status'));
const confirmDialog = createConfirmDialog(byId('confirm-dialog'));
const listEl = byId('accounts');
const emptyEl = byId('empty-state');

let accounts = [];
let wakeTimer = 0;
let failures = 0;
let requestSeq = 0;

const list = createAccountList(listEl, {
  onCopy: copy,
  onDelete: remove,
  onHotpNext: hotpNext,
});

const addDialog = createAddDialog(byId('add-dialog'), {
  addManual: api.addAccountManual,
  addUri: api.addAccountUri,
  onAdded: added,
});

function findAccount(id) {
  return accounts.find((account) => account.id === id);
}

function show() {
  const empty = accounts.length === 0;
  list.render(accounts, clock.now());
  listEl.hidden = empty;
  emptyEl.hidden = !empty;
}

/** Fetches the list; later answers win over earlier ones still in flight. */
async function refresh() {
  clearTimeout(wakeTimer);
  const seq = ++requestSeq;
  const sentAt = Date.now();
  let answer;
  try {
    answer = await api.listAccounts();
  } catch (failure) {
    if (seq !== requestSeq) return;
    failures += 1;
    status.show(`Could not load the accounts: ${failure.message}`);
    wakeTimer = setTimeout(refresh, retryDelay(failures));
    return;
  }
  if (seq !== requestSeq) return;
  if (failures > 0) status.clear();
  failures = 0;
  clock.update(answer.nowMs, sentAt, Date.now());
  accounts = answer.accounts;
  show();
  schedule();
}

/**
 * One timer for the whole list: it fires when a row enters its last seconds or when the
 * earliest code expires, never more often. The rings move by CSS meanwhile.
 */
function schedule() {
  clearTimeout(wakeTimer);
  const now = clock.now();
  const wake = nextWake(accounts, now);
  if (!wake) return;
  wakeTimer = setTimeout(() => {
    if (wake.kind === 'refresh') {
      refresh();
    } else {
      list.refreshExpiring(clock.now());
      schedule();
    }
  }, delayUntil(wake.atMs, now));
}

async function copy(id) {
  const account = findAccount(id);
  if (!account) return;
  try {
    const { code } = await api.copyCode(id);
    list.flash(id, 'copied');
    toast.show(`Copied ${account.issuer || account.name || 'the'} code`);
    // The step may have turned between the last refresh and the click.
    if (code !== account.code) refresh();
  } catch (failure) {
    toast.show('Not copied', { tone: 'error' });
    status.show(failure.message);
  }
}

async function remove(id) {
  const account = findAccount(id);
  if (!account) return;
  const label = accountLabel(account);
  const agreed = await confirmDialog.ask({ label, service: account.issuer || label });
  if (!agreed) {
    list.focusSelected();
    return;
  }
  try {
    const deleted = await api.deleteAccount(id);
    toast.show(`Deleted ${deleted.label}`);
  } catch (failure) {
    status.show(failure.message);
  }
  await refresh();
  if (!list.focusSelected()) byId('empty-add').focus();
}

async function hotpNext(id) {
  try {
    const view = await api.hotpNext(id);
    accounts = accounts.map((account) => (account.id === id ? view : account));
    show();
  } catch (failure) {
    status.show(failure.message);
  }
}

async function added({ account, warnings }) {
  toast.show(`Added ${accountLabel(account)}`);
  if (warnings?.length) status.show(warnings.join(' '), { tone: 'warning', sticky: true });
  await refresh();
  list.select(account.id, { focus: true });
  list.flash(account.id, 'new');
}

async function loadStatus() {
  try {
    const info = await api.appStatus();
    status.setStorage(info);
    document.querySelector('.brand').title = `Tessera ${info.version}`;
  } catch (failure) {
    status.show(failure.message);
  }
}

byId('add-account').addEventListener('click', () => addDialog.open());
byId('empty-add').addEventListener('click', () => addDialog.open());

document.addEventListener('keydown', (event) => {
  const modalOpen = document.querySelector('dialog[open]');
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'n' && !modalOpen) {
    event.preventDefault();
    addDialog.open();
  }
});

// Timers sleep with the window or the machine; catch up as soon as the window is seen again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refresh();
});

loadStatus();
refresh();
