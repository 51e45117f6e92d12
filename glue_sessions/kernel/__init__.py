"""The kernel side: what each sparkmagic kernel records, and sparkmagic's config.

Owns: kernel records, the notebook of each session, the owner labels, sparkmagic's config.json.
Never: imports the server (these modules run inside every sparkmagic kernel); standard library
only, like the hook (`glue_sessions.kernel_hook`) that uses them.
"""
