// The list of accounts: keeps one card per account in the backend's order, one selected row
// (roving tabindex: Tab enters the list at the selected row, arrow keys move), and turns
// clicks and keys into copy, verify, delete and next-code requests.

import { delayUntil, isTimed, nextRingStepMs } from '../lib/countdown.js';
import { createRow, drawRing, markExpiring, rowFits, updateRow } from './account-row.js';

const ROW_CONTROLS = '.code, .verify, .delete, .hotp-next';

export function createAccountList(root, { now, onCopy, onDelete, onDetails, onHotpNext, onMove, onTimeLeft, onVerify }) {
  const rows = new Map();
  let accounts = [];
  let byId = new Map();
  let selectedId = null;

  // One timer moves the rings of the rows in sight, at their next step; rows out of sight
  // are drawn when they come back. See RING_STEP_MS for why rings are not CSS animations.
  const inSight = new Set();
  let ringTimer = null;
  const sight = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (isIntersecting) inSight.add(target);
      else inSight.delete(target);
    }
    moveRings();
  }, { rootMargin: '64px 0px' });

  // Rings waiting to be drawn, one per frame: WebKit repaints the bounding box of what changed
  // in a frame, and rings a row apart made that a strip across every card, where one ring per
  // frame repaints only that ring (measured at two steps a second: 3.2 % of a core idle, not 4.5 %).
  let toDraw = [];
  let drawing = false;

  function drawOnePerFrame() {
    const next = toDraw.shift();
    drawing = Boolean(next);
    if (!next) return;
    const [li, account, nowMs] = next;
    if (li.isConnected) drawRing(li, account, nowMs);
    requestAnimationFrame(drawOnePerFrame);
  }

  function moveRings() {
    clearTimeout(ringTimer);
    ringTimer = null;
    const nowMs = now();
    let wakeAt = Infinity;
    toDraw = [];
    for (const li of inSight) {
      const account = byId.get(li.dataset.id);
      if (!isTimed(account)) continue;
      toDraw.push([li, account, nowMs]);
      wakeAt = Math.min(wakeAt, nextRingStepMs(account, nowMs));
    }
    if (!drawing) drawOnePerFrame();
    // A millisecond late, so the timer never lands a hair before the step it waits for.
    if (wakeAt !== Infinity) ringTimer = setTimeout(moveRings, delayUntil(wakeAt + 1, nowMs));
  }

  function forget(li) {
    sight.unobserve(li);
    inSight.delete(li);
    li.remove();
  }

  function rowOf(target) {
    const li = target.closest('li.account');
    return li && root.contains(li) ? li : null;
  }

  function select(id, { focus = false } = {}) {
    if (!rows.has(id)) id = rows.keys().next().value ?? null;
    selectedId = id;
    for (const [rowId, li] of rows) {
      const chosen = rowId === id;
      li.classList.toggle('is-selected', chosen);
      for (const control of li.querySelectorAll(ROW_CONTROLS)) control.tabIndex = chosen ? 0 : -1;
    }
    const li = rows.get(id);
    if (li && focus) {
      li.querySelector('.code').focus();
      li.scrollIntoView({ block: 'nearest' });
    }
  }

  function render(nextAccounts, nowMs) {
    accounts = nextAccounts;
    byId = new Map(accounts.map((account) => [account.id, account]));
    const seen = new Set();
    let previous = null;
    const oldIds = [...rows.keys()];
    for (const account of accounts) {
      seen.add(account.id);
      let li = rows.get(account.id);
      if (li && !rowFits(li, account)) {
        forget(li);
        li = null;
      }
      if (!li) {
        li = createRow(account);
        rows.set(account.id, li);
        sight.observe(li);
      }
      updateRow(li, account, nowMs);
      // Move only rows that are out of place, so a focused row is not detached and refocused.
      const expectedAfter = previous ? previous.nextElementSibling : root.firstElementChild;
      if (expectedAfter !== li) (previous ? previous.after(li) : root.prepend(li));
      previous = li;
    }
    let nextSelected = selectedId;
    let focusLost = false;
    for (const id of oldIds) {
      if (seen.has(id)) continue;
      if (id === selectedId) nextSelected = neighbourOf(oldIds, id, seen);
      const li = rows.get(id);
      focusLost ||= li.contains(document.activeElement);
      forget(li);
      rows.delete(id);
    }
    select(nextSelected, { focus: focusLost });
    moveRings();
  }

  function neighbourOf(order, id, remaining) {
    const at = order.indexOf(id);
    const after = order.slice(at + 1).find((other) => remaining.has(other));
    const before = order.slice(0, at).reverse().find((other) => remaining.has(other));
    return after ?? before ?? null;
  }

  /** Enters or leaves the last-seconds state without touching anything else. */
  function refreshExpiring(nowMs) {
    for (const account of accounts) {
      const li = rows.get(account.id);
      if (li) markExpiring(li, account, nowMs);
    }
  }

  /** Replays a short highlight on a row: `copied` after a copy, `new` after adding. */
  function flash(id, kind) {
    const li = rows.get(id);
    if (!li) return;
    const className = `is-${kind}`;
    li.classList.remove(className);
    void li.offsetWidth; // restarts the CSS animation when the same row flashes twice
    li.classList.add(className);
    li.addEventListener('animationend', () => li.classList.remove(className), { once: true });
  }

  function move(from, step) {
    const ids = [...rows.keys()];
    if (!ids.length) return;
    let at = ids.indexOf(from);
    if (step === 'first') at = 0;
    else if (step === 'last') at = ids.length - 1;
    else at = Math.min(ids.length - 1, Math.max(0, at + step));
    select(ids[at], { focus: true });
  }

  root.addEventListener('click', (event) => {
    const li = rowOf(event.target);
    if (!li) return;
    const id = li.dataset.id;
    if (event.target.closest('.delete')) {
      select(id);
      onDelete(id);
    } else if (event.target.closest('.details')) {
      select(id);
      onDetails(id);
    } else if (event.target.closest('.verify')) {
      select(id);
      onVerify(id);
    } else if (event.target.closest('.hotp-next')) {
      select(id);
      onHotpNext(id);
    } else {
      select(id, { focus: true });
      onCopy(id);
    }
  });

  root.addEventListener('keydown', (event) => {
    const li = rowOf(event.target);
    if (li && event.altKey && !event.ctrlKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      // Alt+arrows move the account itself, as in most list editors.
      event.preventDefault();
      onMove(li.dataset.id, event.key === 'ArrowUp' ? -1 : 1);
      return;
    }
    if (!li || event.altKey || event.metaKey) return;
    const id = li.dataset.id;
    const keys = {
      ArrowDown: () => move(id, 1),
      ArrowUp: () => move(id, -1),
      Home: () => move(id, 'first'),
      End: () => move(id, 'last'),
      PageDown: () => move(id, 5),
      PageUp: () => move(id, -5),
      Delete: () => onDelete(id),
      // "t" for time: how long the code stays valid, for people who cannot see the ring.
      t: () => onTimeLeft(id),
    };
    let action = event.ctrlKey ? null : keys[event.key];
    // Enter copies from the row itself, the code included; on the row's other buttons it
    // keeps its usual meaning.
    if (event.key === 'Enter' && !event.ctrlKey && !event.target.closest('.delete, .details, .verify, .hotp-next')) {
      action = () => onCopy(id);
    }
    if (event.ctrlKey && event.key.toLowerCase() === 'c' && !window.getSelection()?.toString()) {
      action = () => onCopy(id);
    }
    if (!action) return;
    event.preventDefault();
    action();
  });

  root.addEventListener('focusin', (event) => {
    const li = rowOf(event.target);
    if (li && li.dataset.id !== selectedId) select(li.dataset.id);
  });

  /** Removes every row (after locking: no code stays in the page). */
  function clear() {
    sight.disconnect();
    inSight.clear();
    toDraw = [];
    clearTimeout(ringTimer);
    rows.clear();
    byId = new Map();
    accounts = [];
    selectedId = null;
    root.replaceChildren();
  }

  return {
    render,
    clear,
    refreshExpiring,
    flash,
    select,
    /** Focuses the selected row's code; false when the list is empty. */
    focusSelected() {
      if (!rows.has(selectedId)) return false;
      select(selectedId, { focus: true });
      return true;
    },
    get selectedId() {
      return selectedId;
    },
  };
}
