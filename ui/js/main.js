// Entry point: asks the backend which screen to show (create the vault, unlock it, or the
// accounts), keeps the codes current with one timer aimed at the next moment something changes,
// locks on request or after a quiet spell, and wires the views to the backend.

import * as api from './api.js';
import {
  ClockSync,
  REFRESH_SLACK_MS,
  delayUntil,
  nextWake,
  retryDelay,
  rollOver,
  timeLeftText,
} from './lib/countdown.js';
import { IdleTimer, autoLockMs } from './lib/idle-timer.js';
import { accountLabel, asSentence } from './lib/labels.js';
import { clearFieldError, setBusy, showFieldError } from './views/forms.js';
import { createAccountList } from './views/account-list.js';
import { createAddDialog } from './views/add-dialog.js';
import { createClockDialog } from './views/clock-dialog.js';
import { createConfirmDialog } from './views/confirm-dialog.js';
import { createSettingsDialog } from './views/settings-dialog.js';
import { createStatus } from './views/status.js';
import { createToast } from './views/toast.js';
import { createVerifyDialog } from './views/verify-dialog.js';
import { createDetailsDialog } from './views/details-dialog.js';
import { createReviewDialog } from './views/review-dialog.js';
import { createBackupBanner, createBackupDialog } from './views/backup-dialog.js';
import { copiedMessage } from './lib/copy-settings.js';
import { filterAccounts } from './lib/search.js';
import { groupsOf, inGroup } from './lib/groups.js';
import { createGroupFilter } from './views/group-filter.js';
import { createCreateScreen, createUnlockScreen } from './views/vault-screens.js';

const byId = (id) => document.getElementById(id);

const clock = new ClockSync();
const toast = createToast(byId('toast'));
const status = createStatus(byId('status'));
const confirmDialog = createConfirmDialog(byId('confirm-dialog'));
const listEl = byId('accounts');
const emptyEl = byId('empty-state');
const bannerEl = byId('conflict-banner');
const searchBar = byId('search-bar');
const searchEl = byId('search');
const searchEmpty = byId('search-empty');
const groupFilter = createGroupFilter(byId('group-filter'), { onChange: () => show() });

/** The app status: `{ storage, storageNote, version, vault, vaultPath, keyringSlot, autoLockMinutes }`. */
let info = { vault: 'unlocked', vaultPath: '', keyringSlot: false, autoLockMinutes: 0 };
/** Which screen is up: `loading`, `create`, `unlock` or `list`. */
let view = 'loading';
let accounts = [];
let wakeTimer = 0;
let failures = 0;
let requestSeq = 0;

const list = createAccountList(listEl, {
  now: () => clock.now(),
  onCopy: copy,
  onDelete: remove,
  onHotpNext: hotpNext,
  onDetails: (id) => detailsDialog.open(id),
  onTimeLeft: (id) => {
    const account = findAccount(id);
    if (account) toast.show(timeLeftText(account, clock.now()));
  },
  onMove: async (id, step) => {
    if (info.order === 'alphabetical') {
      toast.show('The list is alphabetical: choose your own order in Settings to move accounts');
      return;
    }
    try {
      await api.moveAccount(id, step);
    } catch (failure) {
      if (!handleFailure(failure)) status.show(failure.message);
      return;
    }
    await refresh();
    list.select(id, { focus: true });
  },
  onVerify: (id) => {
    const account = findAccount(id);
    if (account) verifyDialog.open(account);
  },
});

const idle = new IdleTimer({ onIdle: () => lock({ reason: 'idle' }) });

const createScreen = createCreateScreen({
  create: api.createVault,
  onCreated: async ({ keyringError }) => {
    toast.show('Vault created');
    if (keyringError) {
      status.show(`The system keyring is unavailable: ${keyringError}; unlock with your password.`, {
        tone: 'warning',
        sticky: true,
      });
    }
    await loadStatus();
    showList({ focus: true });
  },
});

const unlockScreen = createUnlockScreen({
  unlock: api.unlockVault,
  unlockWithKeyring: api.unlockWithKeyring,
  onUnlocked: async () => {
    await loadStatus();
    showList({ focus: true });
  },
});

const settingsDialog = createSettingsDialog(byId('settings-dialog'), {
  api,
  notify: (message) => toast.show(message),
  openClock: () => clockDialog.open(),
  openBackup: () => openBackup(),
  onBackupStatus: (status) => showBackupStatus(status),
  onCloseToTray: (enabled) => {
    info.closeToTray = enabled;
  },
  onCompact: (enabled) => {
    info.compact = enabled;
    document.body.dataset.density = enabled ? 'compact' : 'comfortable';
  },
  onOrder: (order) => {
    info.order = order;
    refresh();
  },
  onAutoLock: (minutes) => {
    info.autoLockMinutes = minutes;
    idle.start(autoLockMs(minutes));
  },
  onCorrection: correctionChanged,
  onConflicts: () => {
    checkConflicts();
    refresh();
  },
  onRestored: () => refresh(),
  onFailure: handleFailure,
});

const clockDialog = createClockDialog(byId('clock-dialog'), {
  api,
  onCorrection: correctionChanged,
  onFailure: handleFailure,
});

const verifyDialog = createVerifyDialog(byId('verify-dialog'), { api, onFailure: handleFailure });
const backupDialog = createBackupDialog(byId('backup-dialog'), {
  api,
  notify: (message) => toast.show(message),
  onSaved: () => checkBackup(),
  onFailure: handleFailure,
});
const backupBanner = createBackupBanner(byId('backup-banner'), { onOpen: () => openBackup() });
/** The last backup_status answer: when the last backup was, and whether one is due. */
let backupStatus = null;

function openBackup() {
  backupDialog.open(backupStatus);
}

function showBackupStatus(status) {
  backupStatus = status;
  if (view === 'list') backupBanner.show(status.reminder);
}

async function checkBackup() {
  try {
    showBackupStatus(await api.backupStatus());
  } catch (failure) {
    handleFailure(failure);
  }
}

const detailsDialog = createDetailsDialog(byId('details-dialog'), {
  api,
  notify: (message) => toast.show(message),
  onChanged: () => refresh(),
  onFailure: handleFailure,
});

const addDialog = createAddDialog(byId('add-dialog'), {
  addManual: api.addAccountManual,
  addUri: api.addAccountUri,
  onAdded: added,
  onFailure: (failure) => handleFailure(failure),
});

const reviewDialog = createReviewDialog(byId('review-dialog'), {
  api,
  notify: (message) => toast.show(message),
  onAdded: async () => {
    await refresh();
    checkBackup();
  },
  scanMore: () => runScan(api.scanScreen, byId('review-scan-more')),
  onFailure: handleFailure,
});
const sourceError = byId('add-source-error');

/** Runs a scan or an import and shows its review; failures appear under the source buttons. */
async function runScan(call, button) {
  clearFieldError(sourceError);
  if (button?.getAttribute('aria-busy') === 'true') return;
  if (button) setBusy(button, true);
  try {
    const answer = await call();
    if (!answer) return;
    addDialog.close();
    if (answer.step === 'passwordNeeded') reviewDialog.askPassword(answer);
    else reviewDialog.show(answer.step === 'review' ? answer.review : answer);
  } catch (failure) {
    if (handleFailure(failure)) return;
    if (byId('add-dialog').open) showFieldError(sourceError, asSentence(failure.message));
    else toast.show(asSentence(failure.message), { tone: 'error' });
  } finally {
    if (button) setBusy(button, false);
  }
}

byId('scan-screen').addEventListener('click', (event) => runScan(api.scanScreen, event.currentTarget));
byId('scan-file').addEventListener('click', (event) => runScan(api.scanImageFile, event.currentTarget));
byId('scan-paste').addEventListener('click', (event) => runScan(api.scanClipboardImage, event.currentTarget));
byId('import-backup').addEventListener('click', (event) => runScan(api.importBackupFile, event.currentTarget));
// Ctrl+V of an image in the add dialog reads it; text pastes go to the fields as usual.
byId('add-dialog').addEventListener('paste', (event) => {
  const items = [...(event.clipboardData?.items ?? [])];
  if (items.some((item) => item.type.startsWith('image/'))) {
    event.preventDefault();
    runScan(api.scanClipboardImage, byId('scan-paste'));
  }
});
// A file dropped on the window is read by the backend, which answers with an event.
api.onEvent('review-ready', (review) => {
  if (view !== 'list') return;
  addDialog.close();
  reviewDialog.show(review);
});
api.onEvent('backup-password-needed', (step) => {
  addDialog.close();
  reviewDialog.askPassword(step);
});
api.onEvent('drop-failed', (failure) => {
  if (!handleFailure(failure)) toast.show(asSentence(failure.message), { tone: 'error' });
});

function findAccount(id) {
  return accounts.find((account) => account.id === id);
}

/** The accounts of the chosen group that match the search, best match first. */
function visibleAccounts() {
  return filterAccounts(inGroup(accounts, groupFilter.selected), searchEl.value);
}

function show() {
  if (view !== 'list') return;
  const empty = accounts.length === 0;
  groupFilter.render(groupsOf(accounts));
  const shown = visibleAccounts();
  list.render(shown, clock.now());
  listEl.hidden = empty || shown.length === 0;
  emptyEl.hidden = !empty;
  searchBar.hidden = empty;
  searchEmpty.hidden = empty || shown.length > 0;
  const where = groupFilter.selected ? ` in “${groupFilter.selectedName}”` : '';
  searchEmpty.textContent = shown.length ? '' : `No account${where} matches “${searchEl.value.trim()}”.`;
}

/** Fetches the list; later answers win over earlier ones still in flight. */
async function refresh() {
  clearTimeout(wakeTimer);
  if (view !== 'list') return;
  const seq = ++requestSeq;
  const sentAt = Date.now();
  let answer;
  try {
    answer = await api.listAccounts();
  } catch (failure) {
    if (seq !== requestSeq) return;
    if (handleFailure(failure)) return;
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
  verifyDialog.refresh();
}

/**
 * One timer for the whole list: it fires when a row enters its last seconds or when the
 * earliest code expires (the row shows the code it already has for the next step at once, and
 * the backend is asked for fresh ones just after), never more often. The rings move by CSS meanwhile.
 */
function schedule() {
  clearTimeout(wakeTimer);
  const now = clock.now();
  const wake = nextWake(accounts, now);
  if (!wake) return;
  wakeTimer = setTimeout(() => {
    if (wake.kind === 'rollover') {
      accounts = rollOver(accounts, clock.now());
      show();
      wakeTimer = setTimeout(refresh, REFRESH_SLACK_MS);
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
    const { code, clearsInSeconds } = await api.copyCode(id);
    list.flash(id, 'copied');
    toast.show(copiedMessage(account.issuer || account.name || 'the', clearsInSeconds));
    // The step may have turned between the last refresh and the click.
    if (code !== account.code) refresh();
  } catch (failure) {
    if (handleFailure(failure)) return;
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
    checkBackup();
  } catch (failure) {
    if (handleFailure(failure)) return;
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
    if (handleFailure(failure)) return;
    status.show(failure.message);
  }
}

async function added({ account, warnings }) {
  toast.show(`Added ${accountLabel(account)}`);
  if (warnings?.length) status.show(warnings.join(' '), { tone: 'warning', sticky: true });
  await refresh();
  checkBackup();
  list.select(account.id, { focus: true });
  list.flash(account.id, 'new');
}

async function loadStatus() {
  try {
    const next = await api.appStatus();
    info = { ...next, vault: next.vault ?? 'unlocked' };
    document.body.dataset.density = info.compact ? 'compact' : 'comfortable';
    status.setStorage(info);
    document.querySelector('.brand').title = `Tessera ${info.version}`;
    return true;
  } catch (failure) {
    status.show(failure.message);
    return false;
  }
}

/** Shows one screen and hides the others; the header's buttons belong to the account list. */
function setView(next) {
  view = next;
  document.body.dataset.view = next;
  byId('header-actions').hidden = next !== 'list';
  if (next !== 'create') createScreen.hide();
  if (next !== 'unlock') unlockScreen.hide();
  if (next !== 'list') {
    listEl.hidden = true;
    emptyEl.hidden = true;
    bannerEl.hidden = true;
    backupBanner.hide();
    searchBar.hidden = true;
    searchEmpty.hidden = true;
    byId('group-filter').hidden = true;
  }
}

function showCreate() {
  setView('create');
  idle.stop();
  createScreen.show();
}

/**
 * The unlock screen. The keyring is tried by itself only when Tessera starts locked
 * (`tryKeyring`); after a lock the user (or the idle timer) chose to lock, so it waits for a click.
 */
function showUnlock({ tryKeyring = false } = {}) {
  setView('unlock');
  idle.stop();
  unlockScreen.show({ vaultPath: info.vaultPath, keyringSlot: info.keyringSlot, tryKeyring });
}

async function showList({ focus = false } = {}) {
  setView('list');
  idle.start(autoLockMs(info.autoLockMinutes));
  checkConflicts();
  checkBackup();
  await refresh();
  if (focus && view === 'list' && !document.querySelector('dialog[open]')) {
    if (!list.focusSelected()) byId(accounts.length ? 'add-account' : 'empty-add').focus();
  }
}

/** Every trace of the accounts leaves the page: rows, dialogs, timers. */
function forgetAccounts() {
  clearTimeout(wakeTimer);
  searchEl.value = '';
  requestSeq += 1;
  accounts = [];
  list.clear();
  toast.clear();
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
}

/** After the backend says "locked" (or after locking): the unlock screen, nothing else. */
function showLocked() {
  forgetAccounts();
  info.vault = 'locked';
  showUnlock();
}

/**
 * Another device changed the password: the backend keeps the accounts but writes nothing
 * until the new password is typed, so the page shows the unlock screen with a word on why.
 */
function showRotated() {
  forgetAccounts();
  info.vault = 'locked';
  setView('unlock');
  idle.stop();
  unlockScreen.show({ vaultPath: info.vaultPath, keyringSlot: info.keyringSlot, rotated: true });
}

/** True when `failure` means the vault is locked (or waits for a new password); the unlock screen is then up. */
function handleFailure(failure) {
  if (failure?.kind === 'rotated') {
    showRotated();
    return true;
  }
  if (failure?.kind !== 'locked') return false;
  if (view !== 'unlock') showLocked();
  return true;
}

async function lock({ reason = 'user' } = {}) {
  if (view !== 'list') return;
  idle.stop();
  try {
    await api.lockVault();
  } catch (failure) {
    if (handleFailure(failure)) return;
    status.show(`Could not lock: ${failure.message}`);
    idle.start(autoLockMs(info.autoLockMinutes));
    return;
  }
  showLocked();
  if (reason === 'idle') toast.show('Locked after a quiet spell');
}

async function checkConflicts() {
  try {
    const conflicts = await api.listConflicts();
    bannerEl.hidden = view !== 'list' || !conflicts?.length;
  } catch (failure) {
    handleFailure(failure);
  }
}

function correctionChanged(enabled) {
  settingsDialog.setCorrection(enabled);
  clockDialog.setCorrection(enabled);
  toast.show(enabled ? 'Codes use the corrected time' : 'Codes use this computer’s clock');
  refresh();
}

async function start() {
  const known = await loadStatus();
  if (!known || info.vault === 'unlocked') showList();
  else if (info.vault === 'none') showCreate();
  else showUnlock({ tryKeyring: true });
}

byId('add-account').addEventListener('click', () => addDialog.open());
byId('empty-add').addEventListener('click', () => addDialog.open());
byId('lock').addEventListener('click', () => lock());
byId('clock').addEventListener('click', () => clockDialog.open());
byId('settings').addEventListener('click', () => settingsDialog.open(info));
byId('conflict-review').addEventListener('click', () => settingsDialog.open({ ...info, focus: 'conflicts' }));
// Verifying an HOTP code can resynchronise its counter: show the stored one.
byId('verify-dialog').addEventListener('close', () => {
  if (view === 'list') refresh();
});

// Settings may have changed the keyring slot or the auto-lock: read the status again.
byId('settings-dialog').addEventListener('close', () => {
  if (view === 'list') loadStatus();
});

document.addEventListener('keydown', (event) => {
  const modalOpen = document.querySelector('dialog[open]');
  const ctrl = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
  const key = event.key.toLowerCase();
  if (ctrl && key === 'n' && !modalOpen && view === 'list') {
    event.preventDefault();
    addDialog.open();
  } else if (event.ctrlKey && event.shiftKey && key === 's' && view === 'list') {
    event.preventDefault();
    runScan(api.scanScreen, byId('scan-screen'));
  } else if (ctrl && key === 'l' && view === 'list') {
    event.preventDefault();
    lock();
  } else if (((ctrl && key === 'f') || (event.key === '/' && !isTyping(event.target))) && !modalOpen && view === 'list') {
    event.preventDefault();
    searchEl.focus();
    searchEl.select();
  }
});

function isTyping(target) {
  return target instanceof HTMLElement && target.matches('input, textarea, select, [contenteditable]');
}

/** True from the quick pick shortcut until the pick is done: Enter or Esc then hide the window. */
let quickPick = false;

function endQuickPick({ hide }) {
  if (!quickPick) return;
  quickPick = false;
  if (hide) api.hideWindow().catch(() => {});
}

api.onEvent('quick-pick', () => {
  if (view !== 'list' || document.querySelector('dialog[open]')) return;
  quickPick = true;
  groupFilter.showAll();
  show();
  searchEl.focus();
  searchEl.select();
});
searchEl.addEventListener('blur', () => {
  // Leaving the box by hand (a click elsewhere) means the user stays in the window.
  setTimeout(() => {
    if (document.activeElement !== searchEl) quickPick = false;
  }, 0);
});

searchEl.addEventListener('input', () => show());

// Locked from the tray: the codes leave the screen now, not at the next refresh.
// Another writer (the CLI, a sync tool) changed the vault; the backend has merged it already.
api.onEvent('vault-changed', () => {
  if (view !== 'list') return;
  refresh();
  checkBackup();
  checkConflicts();
  toast.show('Updated from another device');
});

api.onEvent('vault-rotated', () => {
  if (view === 'list') showRotated();
});

api.onLocked(() => {
  if (view === 'list') showLocked();
});
searchEl.addEventListener('keydown', (event) => {
  const first = visibleAccounts()[0];
  if (event.key === 'Escape' && searchEl.value && !quickPick) {
    // Esc empties the box first; a second Esc leaves it.
    event.preventDefault();
    searchEl.value = '';
    show();
  } else if (event.key === 'Escape' && quickPick) {
    event.preventDefault();
    endQuickPick({ hide: true });
  } else if (event.key === 'Escape') {
    searchEl.blur();
  } else if (event.key === 'ArrowDown' && first) {
    event.preventDefault();
    list.select(first.id, { focus: true });
  } else if (event.key === 'Enter' && first && searchEl.value.trim()) {
    event.preventDefault();
    const hide = quickPick;
    quickPick = false;
    list.select(first.id, { focus: !hide });
    copy(first.id).then(() => {
      if (hide) {
        searchEl.value = '';
        show();
        api.hideWindow().catch(() => {});
      }
    });
  }
});

// Activity only stamps a time (the idle timer reads it when it fires), so even pointer moves
// cost nothing worth throttling further.
for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']) {
  window.addEventListener(type, () => idle.touch(), { capture: true, passive: true });
}

// Timers sleep with the window or the machine; catch up as soon as the window is seen again.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refresh();
});

start();
