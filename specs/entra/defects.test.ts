import { defectSuite } from '../checks/idp-defects.ts';

// Reference-server defects that break exactly an Entra behaviour (docs/idp-patterns.md §3.4-3.6), and the ids they fail.
defectSuite('entra', {
  'patch-op-case-sensitive': ['ENTRA-PATCH-OP-CASE'],
  'patch-rejects-string-booleans': ['ENTRA-PATCH-BOOL-STRING', 'ENTRA-PATCH-BOOL-LOWER'],
  'valuepath-add-notarget': ['ENTRA-ADD-VALUEPATH-CREATES'],
  'ignores-excluded-members': ['ENTRA-GROUP-EXCLUDE-MEMBERS'],
  'patch-remove-value-list-removes-all': ['ENTRA-REMOVE-MEMBER-VALUE'],
  'nopath-dotted-keys-ignored': ['ENTRA-NOPATH-DOTTED-KEYS'],
  'delete-user-keeps-memberships': ['ENTRA-DELETE-APP-ABSENT'],
});
