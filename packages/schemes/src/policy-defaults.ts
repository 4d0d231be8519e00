/** Days before validUntil at which a buyer is warned, unless its recognition policy says otherwise. */
export const DEFAULT_ALERT_THRESHOLDS_DAYS: readonly number[] = [90, 30, 7];

/** From this many alerts due at once for one buyer, they are sent as one digest. */
export const DEFAULT_DIGEST_THRESHOLD = 5;
