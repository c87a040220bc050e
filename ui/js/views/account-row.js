// One account's card: built once, then updated in place on every refresh so that focus,
// hover and the running countdown survive.

import { formatCode, spokenCode } from '../lib/code-format.js';
import { isExpiring, isTimed, stepProgress } from '../lib/countdown.js';
import { accountLabel, avatarHue, avatarLetter, rowTitles } from '../lib/labels.js';
import { recoveryBadge } from '../lib/recovery.js';
import { icon, ring, ringArc } from './icons.js';

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

/** Puts `account`'s labels and codes into its card, restarting the ring on a new step. */
export function updateRow(li, account, nowMs) {
  const label = accountLabel(account);
  const { title, subtitle } = rowTitles(account);

  const avatar = li.querySelector('.avatar');
  avatar.textContent = avatarLetter(account);
  avatar.style.setProperty('--avatar-hue', String(avatarHue(account.issuer || account.name)));
  li.querySelector('.issuer').textContent = title;
  li.dataset.pinned = String(Boolean(account.pinned));
  li.querySelector('.pinned-text').hidden = !account.pinned;
  li.querySelector('.name').textContent = subtitle;
  li.querySelector('.delete').setAttribute('aria-label', `Delete ${label}`);
  li.querySelector('.delete').title = 'Delete';
  li.querySelector('.verify').setAttribute('aria-label', `Check a code for ${label}`);
  li.querySelector('.verify').title = 'Check a code';
  li.querySelector('.details').setAttribute('aria-label', `Details and recovery codes of ${label}`);
  li.querySelector('.details').title = 'Details and recovery codes';
  const badge = recoveryBadge(account);
  li.querySelector('.recovery-badge').textContent = badge ?? '';
  li.querySelector('.recovery-badge').hidden = !badge;

  const code = li.querySelector('.code');
  code.textContent = formatCode(account.code);
  code.dataset.code = account.code;
  code.setAttribute('aria-label', spokenCode(account.code));

  const next = li.querySelector('.next-code');
  next.replaceChildren();
  if (account.nextCode) {
    next.append('next: ', element('span', 'next-code-value', formatCode(account.nextCode)));
  }

  if (isTimed(account)) {
    restartRing(li, account, nowMs);
  } else {
    const counter = li.querySelector('.counter');
    counter.textContent = `counter ${account.counter ?? 0}`;
    const button = li.querySelector('.hotp-next');
    button.setAttribute('aria-label', `Next code for ${label}`);
    button.title = 'Next code';
  }
  markExpiring(li, account, nowMs);
}

function restartRing(li, account, nowMs) {
  const step = String(account.validFromMs);
  if (li.dataset.step === step) return;
  li.dataset.step = step;
  const { periodMs, elapsedMs } = stepProgress(account, nowMs);
  const arc = ringArc();
  arc.style.animationDuration = `${periodMs}ms`;
  arc.style.animationDelay = `${-elapsedMs}ms`;
  li.querySelector('.ring-arc').replaceWith(arc);
}

/** Switches the last-seconds state on or off; returns whether it is on. */
export function markExpiring(li, account, nowMs) {
  const expiring = isExpiring(account, nowMs);
  li.classList.toggle('is-expiring', expiring);
  li.querySelector('.next-code').setAttribute('aria-hidden', String(!expiring));
  return expiring;
}
