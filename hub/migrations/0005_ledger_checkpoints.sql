CREATE TABLE `ledger_checkpoints` (
	`product_id` int NOT NULL,
	`location_id` int NOT NULL,
	`through_at` datetime(3) NOT NULL,
	`qty_sum` bigint NOT NULL,
	CONSTRAINT `ledger_checkpoints_product_id_location_id_pk` PRIMARY KEY(`product_id`,`location_id`)
);
