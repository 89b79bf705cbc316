"""Co-editing of drafts (docs/subsystems/co-editing.md): the live document
(``convert``), its storage (``store``), the Yjs protocol (``protocol``) and
the WebSocket that speaks it (``consumers``)."""
