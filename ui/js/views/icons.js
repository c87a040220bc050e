// Icons drawn as SVG elements (no markup strings, no remote files). 24x24, stroked.

const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12', 'M9 7V4h6v3'],
  next: ['M4 12a8 8 0 0 1 13.7-5.6L20 8.7', 'M20 4v4.7h-4.7', 'M20 12a8 8 0 0 1-13.7 5.6L4 15.3', 'M4 20v-4.7h4.7'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  alert: ['M12 3.5 2.5 20h19z', 'M12 10v4.5', 'M12 17.5v.01'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  error: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M9 9l6 6', 'M15 9l-6 6'],
  verify: ['M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14z', 'M16 16l4.5 4.5', 'M8 11.2l2 2 3.5-3.7'],
  clock: ['M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z', 'M12 7v5l3.2 2'],
  pin: ['M9 4h6l-1 5 3 3v2H7v-2l3-3z', 'M12 14v6'],
  copy: ['M9 9h10v11H9z', 'M5 15V4h10'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  merge: ['M7 4v6a5 5 0 0 0 5 5h5', 'M14 12l3 3-3 3', 'M7 20v-2'],
};

/** A decorative icon (hidden from screen readers; the control around it carries the name). */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of PATHS[name] ?? []) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/**
 * The countdown ring: a track and an arc. The arc's circumference is 100 so that CSS can
 * animate `stroke-dashoffset` from 0 to 100 over one period.
 */
export function ring() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 36 36');
  svg.setAttribute('class', 'ring');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const track = document.createElementNS(SVG, 'circle');
  track.setAttribute('class', 'ring-track');
  svg.append(track, ringArc());
  for (const circle of svg.children) {
    circle.setAttribute('cx', '18');
    circle.setAttribute('cy', '18');
    circle.setAttribute('r', '15.9155');
  }
  return svg;
}

/** The ring's arc, drawn by its stroke-dashoffset. */
function ringArc() {
  const arc = document.createElementNS(SVG, 'circle');
  arc.setAttribute('class', 'ring-arc');
  arc.setAttribute('cx', '18');
  arc.setAttribute('cy', '18');
  arc.setAttribute('r', '15.9155');
  return arc;
}
