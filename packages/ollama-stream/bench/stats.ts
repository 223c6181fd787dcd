import { percentile as fractile } from '@lunar/dev-kit';

// The statistics and the table come from @lunar/dev-kit; these names are this bench's vocabulary.
export { median, printTable } from '@lunar/dev-kit';

/** The `p`th percentile (0 to 100) of `values`. */
export const percentile = (values: number[], p: number): number => fractile(values, p / 100);

export const fixed = (value: number, digits = 1) => value.toFixed(digits);
