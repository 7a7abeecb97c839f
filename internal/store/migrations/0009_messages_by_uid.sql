-- Flag changes and expunges name messages by folder and UID; the unique
-- key (folder_id, uidvalidity, uid) cannot serve that, so each one scanned
-- the whole folder (200 flag changes in a 20,000-message folder: 0.4 s).
CREATE INDEX messages_by_folder_uid ON messages (folder_id, uid);
