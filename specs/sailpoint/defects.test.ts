import { defectSuite } from '../checks/idp-defects.ts';

// Reference-server defects that break exactly a SailPoint behaviour (docs/idp-patterns.md §4.4-4.6), and the ids they fail.
defectSuite('sailpoint', {
  'patch-members-filter-remove-ignored': ['SP-ENTITLEMENT-REMOVE'],
  'patch-add-members-replaces': ['SP-ENTITLEMENT-ADD', 'SP-ENTITLEMENT-PARALLEL'],
  'create-returns-200': ['SP-CREATE-ACCOUNT'],
  'delete-user-keeps-memberships': ['SP-DELETE-APP-ABSENT'],
});
