"""The desk's forms: `public` (intake, self-service, login), `staff` (the desk's pages), `funnel`."""
