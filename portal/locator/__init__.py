"""The locator: from a postal code or a commune to the competent lot, operator and sites."""
