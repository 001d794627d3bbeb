"""REST API of the member lifecycle: one POST endpoint per action (recognition, card, badge,
transfer, discipline and its cases, suspension of party activities, exemption, removal, resignation, death, restoration), each checking
the rules in force on its date through `services`, a member's party age, and the to-do lists. Scoped like
the registry (404 outside); an action needs a role that may take it (403; `selectors.action_permission`). A refusal is a
400 with the field at fault and the reason.

Modules: `member_actions` (/api/members/CODE/…: the `actions` made of their `inputs`, the
`discipline_cases`, the transfer letter), `transfer_endpoints` (/api/transfers/), `todo` (/api/todo/)."""
