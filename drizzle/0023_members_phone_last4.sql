-- The members list finds a member by the last four digits of the phone (what a customer gives at
-- the till): an expression index, so it stays an index lookup at a million members.
CREATE INDEX IF NOT EXISTS "members_search_phone_last4" ON "members" USING btree ("merchant_id",(right("phone", 4)));
