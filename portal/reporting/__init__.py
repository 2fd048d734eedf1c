"""Reporting: the indicators (one module per family), the mediator's annual report, its
charts and exports, and the national views of France compétences and the mediator."""
