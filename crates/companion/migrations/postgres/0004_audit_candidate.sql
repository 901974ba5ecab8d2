-- A match's team history (uploads and merges of one candidate) is read per
-- dedupe answer: indexed by team, connection and candidate.
CREATE INDEX audit_candidate ON audit(team_id, connection_id, candidate_id);
