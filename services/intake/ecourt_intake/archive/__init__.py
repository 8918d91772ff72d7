"""Archive import: years of digitized paper case files brought into intake, once each.

``manifest`` reads a court's manifest (JSON Lines or CSV), ``rules`` validates a historical case with the
same identifier rules as reception, ``importer`` records it (original number and dates kept, a permanent
case id issued, documents stored content-addressed, ``case_received`` emitted), ``service`` is its RPC
entrypoint and ``cli`` is ``ecourt import``. The manifest format is documented in ``README.md`` here.
"""
