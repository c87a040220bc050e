// One account's card: built once, then updated in place on every refresh so that focus,
// hover and the running countdown survive.

import { formatCode, spokenCode } from '../lib/code-format.js';
import { isExpiring, isTimed, ringOffset } from '../lib/countdown.js';
import { accountLabel, avatarHue, avatarLetter, rowTitles } from '../lib/labels.js';
import { recoveryBadge } from '../lib/recovery.js';
import { icon, ring } from './icons.js';

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Builds the card for `account`; `updateRow` fills it. */
export function createRow(account) {
  const li = element('li', 'account');
  li.dataset.id = account.id;
  li.dataset.kind = account.kind;

  const avatar = element('span', 'avatar');
  avatar.setAttribute('aria-hidden', 'true');

  const labels = element('div', 'labels');
  const issuer = element('span', 'issuer');
  const name = element('span', 'name');
  issuer.id = `issuer-${account.id}`;
  name.id = `name-${account.id}`;
  const badge = element('span', 'recovery-badge');
  // Pinned rows get a mark on the avatar (CSS) and these words for screen readers.
  const pinnedText = element('span', 'visually-hidden pinned-text', 'Pinned.');
  labels.append(issuer, name, badge, pinnedText);

  const actions = element('div', 'actions');
  const details = element('button', 'icon-button details');
  details.type = 'button';
  details.setAttribute('aria-haspopup', 'dialog');
  details.append(icon('edit'));
  const verify = element('button', 'icon-button verify');
  verify.type = 'button';
  verify.setAttribute('aria-haspopup', 'dialog');
  verify.append(icon('verify'));
  const remove = element('button', 'icon-button delete');
  remove.type = 'button';
  remove.append(icon('trash'));
  actions.append(details, verify, remove);

  const codeLine = element('div', 'code-line');
  // The code is the row's main control: a button that copies, named by its digits and
  // described by the account's labels.
  const code = element('button', 'code');
  code.type = 'button';
  code.title = 'Copy code';
  code.setAttribute('aria-describedby', `${issuer.id} ${name.id}`);
  const next = element('span', 'next-code');
  next.setAttribute('aria-hidden', 'true');
  codeLine.append(code, next);

  const timer = element('div', 'timer');
  if (isTimed(account)) {
    timer.append(ring());
  } else {
    const counter = element('span', 'counter');
    const hotpNext = element('button', 'icon-button hotp-next');
    hotpNext.type = 'button';
    hotpNext.append(icon('next'));
    timer.append(counter, hotpNext);
  }

  const bottom = element('div', 'code-row');
  bottom.append(codeLine, timer);
  // Document order is the tab order: the code first, then the row's other buttons.
  li.append(avatar, labels, bottom, actions);
  return li;
}

/** Whether `li` can show `account` (a row never changes between timed and counter-based). */
export function rowFits(li, account) {
  return li.dataset.kind === account.kind;
}

// Setters that leave equal values alone: a refresh rewrites every row, and an unchanged
// attribute or text that is written again still costs WebKit a style pass over the row.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/** Puts `account`'s labels, codes and ring into its card. */
export function updateRow(li, account, nowMs) {
  const label = accountLabel(account);
  const { title, subtitle } = rowTitles(account);

  const avatar = li.querySelector('.avatar');
  setText(avatar, avatarLetter(account));
  const hue = String(avatarHue(account.issuer || account.name));
  if (avatar.style.getPropertyValue('--avatar-hue') !== hue) avatar.style.setProperty('--avatar-hue', hue);
  setText(li.querySelector('.issuer'), title);
  setAttr(li, 'data-pinned', String(Boolean(account.pinned)));
  setHidden(li.querySelector('.pinned-text'), !account.pinned);
  setText(li.querySelector('.name'), subtitle);
  setAttr(li.querySelector('.delete'), 'aria-label', `Delete ${label}`);
  setAttr(li.querySelector('.delete'), 'title', 'Delete');
  setAttr(li.querySelector('.verify'), 'aria-label', `Check a code for ${label}`);
  setAttr(li.querySelector('.verify'), 'title', 'Check a code');
  setAttr(li.querySelector('.details'), 'aria-label', `Details and recovery codes of ${label}`);
  setAttr(li.querySelector('.details'), 'title', 'Details and recovery codes');
  const badge = recoveryBadge(account);
  setText(li.querySelector('.recovery-badge'), badge ?? '');
  setHidden(li.querySelector('.recovery-badge'), !badge);

  const code = li.querySelector('.code');
  if (code.dataset.code !== account.code) {
    code.textContent = formatCode(account.code);
    code.dataset.code = account.code;
    code.setAttribute('aria-label', spokenCode(account.code));
  }

  const next = li.querySelector('.next-code');
  const nextCode = account.nextCode ?? '';
  if (next.dataset.code !== nextCode) {
    next.dataset.code = nextCode;
    next.replaceChildren();
    if (nextCode) next.append('next: ', element('span', 'next-code-value', formatCode(nextCode)));
  }

  if (isTimed(account)) {
    drawRing(li, account, nowMs);
  } else {
    setText(li.querySelector('.counter'), `counter ${account.counter ?? 0}`);
    const button = li.querySelector('.hotp-next');
    setAttr(button, 'aria-label', `Next code for ${label}`);
    setAttr(button, 'title', 'Next code');
  }
  markExpiring(li, account, nowMs);
}

/** Draws the ring of a timed row as it stands at `nowMs`. */
export function drawRing(li, account, nowMs) {
  const arc = li.querySelector('.ring-arc');
  const offset = String(ringOffset(account, nowMs));
  if (arc.style.strokeDashoffset !== offset) arc.style.strokeDashoffset = offset;
}

/** Switches the last-seconds state on or off; returns whether it is on. */
export function markExpiring(li, account, nowMs) {
  const expiring = isExpiring(account, nowMs);
  if (li.classList.contains('is-expiring') !== expiring) li.classList.toggle('is-expiring', expiring);
  setAttr(li.querySelector('.next-code'), 'aria-hidden', String(!expiring));
  return expiring;
}
