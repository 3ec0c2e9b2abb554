/** The OccuPy palette: nine colours at evenly spaced stops 0…1, red = low scale, blue = full scale. */
export const OCCUPY_PALETTE = [
  '#cc3920', '#f0682e', '#faab46', '#dcdc4b', '#a4fa4f', '#56f582', '#36d7c3', '#46a4f6', '#4d6edf',
] as const;
