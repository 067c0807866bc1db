/** The segment API's types, as generated from the backend's OpenAPI schema. */
export type {
  ChangeSet,
  CustomerOut,
  CustomerSegment,
  ExplainNode,
  ExplainOut,
  FieldCatalog,
  FieldOut,
  MembershipChange,
  PreviewOut,
  SegmentChanges,
  SegmentOut,
} from '@/api/client';
