-- SKUs, location codes, device ids and idempotency keys compare exactly, whatever default the
-- database was created with (docker's MYSQL_DATABASE, a DBA, a managed service): the database's
-- default first, so later tables inherit it, then every table that is not binary yet. A table
-- already binary is left alone, so an installation the hub created itself is not rebuilt.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
--> statement-breakpoint
DROP PROCEDURE IF EXISTS wh_binary_collation;
--> statement-breakpoint
CREATE PROCEDURE wh_binary_collation()
BEGIN
  DECLARE done BOOLEAN DEFAULT FALSE;
  DECLARE next_step TEXT;
  DECLARE steps CURSOR FOR SELECT statement FROM wh_steps ORDER BY step;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
  -- The session gets its foreign key checks back even when a step fails.
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    SET foreign_key_checks = @wh_fk_checks;
    DROP TEMPORARY TABLE IF EXISTS wh_convert, wh_steps, wh_links;
    RESIGNAL;
  END;
  SET @wh_fk_checks = @@foreign_key_checks;
  -- drizzle's own table is written by the migrator while this runs, and holds only hashes.
  CREATE TEMPORARY TABLE wh_convert (name VARCHAR(64) PRIMARY KEY)
    SELECT t.TABLE_NAME AS name FROM information_schema.TABLES t
    WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND t.TABLE_NAME <> '__drizzle_migrations'
      AND (t.TABLE_COLLATION <> 'utf8mb4_bin' OR EXISTS (
        SELECT 1 FROM information_schema.COLUMNS c
        WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.COLLATION_NAME <> 'utf8mb4_bin'));
  -- MariaDB will not change a text column a foreign key links (reservations.order_id -> orders.id,
  -- reorder_thresholds.site -> sites.code), foreign key checks off or not: those keys are dropped,
  -- the tables converted, and the keys made again as they were. The names are the schema's own.
  CREATE TEMPORARY TABLE wh_steps (step INT AUTO_INCREMENT PRIMARY KEY, statement TEXT NOT NULL);
  CREATE TEMPORARY TABLE wh_links
    SELECT k.TABLE_NAME AS child, k.CONSTRAINT_NAME AS name,
      CONCAT('ALTER TABLE `', k.TABLE_NAME, '` ADD CONSTRAINT `', k.CONSTRAINT_NAME, '` FOREIGN KEY (',
        GROUP_CONCAT(CONCAT('`', k.COLUMN_NAME, '`') ORDER BY k.ORDINAL_POSITION), ') REFERENCES `', k.REFERENCED_TABLE_NAME, '` (',
        GROUP_CONCAT(CONCAT('`', k.REFERENCED_COLUMN_NAME, '`') ORDER BY k.ORDINAL_POSITION), ') ON DELETE ', r.DELETE_RULE,
        ' ON UPDATE ', r.UPDATE_RULE) AS remake
    FROM information_schema.KEY_COLUMN_USAGE k
    JOIN information_schema.REFERENTIAL_CONSTRAINTS r
      ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
    JOIN information_schema.COLUMNS c
      ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND c.COLUMN_NAME = k.COLUMN_NAME
    JOIN wh_convert w ON w.name = k.TABLE_NAME
    WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
    GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, r.DELETE_RULE, r.UPDATE_RULE
    HAVING MAX(c.COLLATION_NAME IS NOT NULL) = 1;
  INSERT INTO wh_steps (statement) SELECT CONCAT('ALTER TABLE `', child, '` DROP FOREIGN KEY `', name, '`') FROM wh_links;
  INSERT INTO wh_steps (statement)
    SELECT CONCAT('ALTER TABLE `', name, '` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin') FROM wh_convert ORDER BY name;
  INSERT INTO wh_steps (statement) SELECT remake FROM wh_links;
  DROP TEMPORARY TABLE wh_links;
  -- The rows were linked before; checking them again would copy each child table once more.
  SET foreign_key_checks = 0;
  OPEN steps;
  run_steps: LOOP
    FETCH steps INTO next_step;
    IF done THEN
      LEAVE run_steps;
    END IF;
    SET @wh_step = next_step;
    PREPARE step_statement FROM @wh_step;
    EXECUTE step_statement;
    DEALLOCATE PREPARE step_statement;
  END LOOP;
  CLOSE steps;
  SET foreign_key_checks = @wh_fk_checks;
  DROP TEMPORARY TABLE wh_convert, wh_steps;
END;
--> statement-breakpoint
CALL wh_binary_collation();
--> statement-breakpoint
DROP PROCEDURE wh_binary_collation;
