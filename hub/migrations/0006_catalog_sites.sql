CREATE TABLE `product_gtins` (
	`gtin` char(14) NOT NULL,
	`product_id` int NOT NULL,
	`qty` int NOT NULL DEFAULT 1,
	CONSTRAINT `product_gtins_gtin` PRIMARY KEY(`gtin`),
	CONSTRAINT `product_gtins_qty` CHECK(qty >= 1)
);
--> statement-breakpoint
CREATE TABLE `reorder_thresholds` (
	`product_id` int NOT NULL,
	`site` varchar(64) NOT NULL,
	`threshold` int NOT NULL,
	CONSTRAINT `reorder_thresholds_product_id_site_pk` PRIMARY KEY(`product_id`,`site`),
	CONSTRAINT `reorder_thresholds_nonneg` CHECK(threshold >= 0)
);
--> statement-breakpoint
CREATE TABLE `sites` (
	`code` varchar(64) NOT NULL,
	`name` varchar(200) NOT NULL,
	`active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sites_code` PRIMARY KEY(`code`)
);
--> statement-breakpoint
ALTER TABLE `products` DROP INDEX `products_gtin_unique`;--> statement-breakpoint
ALTER TABLE `locations` ADD `pickable` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `locations` ADD `reservable` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `locations` ADD `active` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `products` ADD `active` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `product_gtins` ADD CONSTRAINT `product_gtins_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reorder_thresholds` ADD CONSTRAINT `reorder_thresholds_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reorder_thresholds` ADD CONSTRAINT `reorder_thresholds_site_sites_code_fk` FOREIGN KEY (`site`) REFERENCES `sites`(`code`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `product_gtins_product` ON `product_gtins` (`product_id`);--> statement-breakpoint
-- Data carried over: each product's one GTIN becomes its unit barcode, every site named by a
-- location or device becomes a site, and the shipping lane stops counting as available.
INSERT INTO `product_gtins` (`gtin`, `product_id`, `qty`) SELECT `gtin`, `id`, 1 FROM `products` WHERE `gtin` IS NOT NULL;--> statement-breakpoint
INSERT IGNORE INTO `sites` (`code`, `name`) SELECT DISTINCT `site`, `site` FROM `locations` UNION SELECT DISTINCT `site`, `site` FROM `devices`;--> statement-breakpoint
UPDATE `locations` SET `reservable` = false, `pickable` = false WHERE `zone` = 'shipping';--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `gtin`;