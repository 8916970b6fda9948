-- Session ids never repeat (issue 21, SEC-42). PostgreSQL's identity column never hands out an
-- id twice already; this file keeps both engines' migration histories in step.
SELECT 1;
