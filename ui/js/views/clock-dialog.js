// The clock check: measures this computer's offset against a time server, says what it means
// for codes, and offers to use the corrected time.

import {
  describeOffset,
  precisionLabel,
  relativeTime,
  signedMs,
  sourceLabel,
  verdictInfo,
} from '../lib/clock-format.js';
import { asSentence } from '../lib/labels.js';
import { icon } from './icons.js';
import { clearFieldError, setBusy, showFieldError } from './forms.js';

const RELATIVE_TICK_MS = 15_000;

export function createClockDialog(dialog, { api, onCorrection, onFailure }) {
  const $ = (selector) => dialog.querySelector(selector);
  const offset = $('#clock-offset');
  const verdict = $('#clock-verdict');
  const details = $('#clock-details');
  const error = $('#clock-error');
  const measureButton = $('#clock-measure');
  const correction = $('#clock-correction');
  const correctionHint = $('#clock-correction-hint');
  let measurement = null;
  let tick = 0;

  function showMeasurement(next) {
    measurement = next;
    if (!measurement) {
      offset.textContent = 'Not checked yet';
      offset.dataset.state = 'none';
      verdict.hidden = true;
      details.hidden = true;
      return;
    }
    offset.textContent = describeOffset(measurement.offsetMs);
    offset.dataset.state = 'measured';

    const info = verdictInfo(measurement.verdict);
    verdict.dataset.tone = info.tone;
    verdict.dataset.verdict = measurement.verdict;
    verdict.querySelector('.verdict-icon').replaceChildren(icon(info.icon));
    verdict.querySelector('.verdict-title').textContent = info.title;
    verdict.querySelector('.verdict-description').textContent = asSentence(measurement.description);
    verdict.hidden = false;

    $('#clock-offset-ms').textContent = signedMs(measurement.offsetMs);
    $('#clock-precision').textContent = `${precisionLabel(measurement.precisionMs)} (round trip ${Math.round(measurement.rttMs)} ms)`;
    $('#clock-source').textContent = sourceLabel(measurement.source);
    $('#clock-server').textContent = measurement.server;
    showAge();
    details.hidden = false;
  }

  function showAge() {
    if (!measurement) return;
    const measured = $('#clock-measured');
    measured.textContent = relativeTime(measurement.measuredAtMs, Date.now());
    measured.title = new Date(measurement.measuredAtMs).toLocaleString();
  }

  function showCorrection(enabled) {
    correction.checked = Boolean(enabled);
    correction.disabled = !measurement && !enabled;
    correctionHint.textContent = measurement || enabled
      ? 'Codes and countdowns follow the measured time instead of this computer’s clock.'
      : 'Check the clock first.';
  }

  async function measure() {
    if (measureButton.getAttribute('aria-busy') === 'true') return;
    clearFieldError(error);
    setBusy(measureButton, true, 'Checking…');
    dialog.setAttribute('aria-busy', 'true');
    try {
      showMeasurement(await api.measureClock());
      showCorrection(correction.checked);
    } catch (failure) {
      if (!onFailure(failure)) showFieldError(error, asSentence(failure.message));
    } finally {
      dialog.removeAttribute('aria-busy');
      setBusy(measureButton, false);
      if (dialog.open && !dialog.contains(document.activeElement)) measureButton.focus();
    }
  }

  measureButton.addEventListener('click', measure);

  const confirmLarge = $('#clock-confirm-large');

  /** Turns the correction on or off; beyond an hour the backend wants `confirmed`. */
  async function applyCorrection(wanted, confirmed) {
    clearFieldError(error);
    confirmLarge.hidden = true;
    correction.disabled = true;
    try {
      const answer = await api.setClockCorrection(wanted, confirmed);
      correction.checked = wanted;
      onCorrection(wanted, answer);
    } catch (failure) {
      correction.checked = !wanted;
      if (!onFailure(failure)) showFieldError(error, asSentence(failure.message), correction);
      confirmLarge.hidden = failure.kind !== 'needs_confirmation';
    } finally {
      showCorrection(correction.checked);
      correction.focus();
    }
  }

  correction.addEventListener('change', () => applyCorrection(correction.checked, false));
  $('#clock-apply-anyway').addEventListener('click', () => applyCorrection(true, true));

  $('#clock-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // Queued: it may arrive after a quick reopen, whose timer must keep running.
    if (dialog.open) return;
    clearInterval(tick);
    clearFieldError(error);
  });

  return {
    async open() {
      if (!dialog.open) dialog.showModal();
      measureButton.focus();
      clearInterval(tick);
      tick = setInterval(showAge, RELATIVE_TICK_MS);
      try {
        const status = await api.clockStatus();
        showMeasurement(status.measurement ?? null);
        showCorrection(status.correctionEnabled);
      } catch (failure) {
        if (!onFailure(failure)) showFieldError(error, asSentence(failure.message));
      }
    },
    close() {
      if (dialog.open) dialog.close();
    },
    setCorrection(enabled) {
      showCorrection(enabled);
    },
  };
}
