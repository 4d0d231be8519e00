import type { RelationshipView } from '@pdx/contracts';
import type { LinkDoc } from '@pdx/read-models';

export function toRelationshipView(doc: LinkDoc): RelationshipView {
  const { id: _id, ...view } = doc;
  return view;
}
