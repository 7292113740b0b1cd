import { defectSuite } from '../checks/idp-defects.ts';

// Reference-server defects that break exactly an Okta behaviour (docs/idp-patterns.md §2.8), and the ids they fail.
defectSuite('okta', {
  'group-replace-rejects-id': ['OKTA-GROUP-RENAME-WITH-ID'],
  'put-defaults-active-false': ['OKTA-PUT-KEEPS-ACTIVE'],
  'patch-members-filter-remove-ignored': ['OKTA-GROUP-MEMBERS-REMOVE-FILTER'],
  'patch-add-members-replaces': ['OKTA-GROUP-MEMBERS-ADD'],
  'filter-username-case-sensitive': ['OKTA-ASSIGN-FILTER-CASE'],
  'create-returns-200': ['OKTA-ASSIGN-CREATE'],
});
