"""Who may do what in the app. Today: the data staff's password for uploads."""

from __future__ import annotations

import os


def admin_password() -> str | None:
    """The data staff's password: .streamlit/secrets.toml `admin_password`, else $PLANTRACK_ADMIN_PASSWORD.
    None when neither is set (uploads are then switched off)."""
    import streamlit as st

    try:
        configured = st.secrets.get("admin_password")
    except Exception:  # no secrets file
        configured = None
    return configured or os.environ.get("PLANTRACK_ADMIN_PASSWORD") or None
