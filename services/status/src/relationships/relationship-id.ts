/** One link per (buyer, partner); the same id intake gives it. */
export const relationshipId = (buyerId: string, partnerId: string) => `${buyerId}~${partnerId}`;
