"""The desk's pages, one module per page group; loket/urls.py holds the whole URL table.

public: the desk's home and registration. candidate: the candidate's own pages (login by code, record,
consents, download, erasure). worklist: the working list, board and export. candidate_page: a
candidate's page and the forms on it. candidate_actions: pages that change a candidate's record.
inbox: handovers for receivers. funnel: the funnel figures. common: what the staff pages share.
"""
