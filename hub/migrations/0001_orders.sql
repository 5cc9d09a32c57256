CREATE TABLE `orders` (
	`id` char(36) NOT NULL,
	`idempotency_key` varchar(128) NOT NULL,
	`request_hash` char(64) NOT NULL,
	`site` varchar(64) NOT NULL,
	`status` varchar(16) NOT NULL,
	`expires_at` datetime(3),
	`response_status` smallint NOT NULL,
	`response_body` text NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`resolved_at` datetime(3),
	CONSTRAINT `orders_id` PRIMARY KEY(`id`),
	CONSTRAINT `orders_idempotency_key` UNIQUE(`idempotency_key`),
	CONSTRAINT `orders_status` CHECK(status in ('pending', 'confirmed', 'cancelled', 'expired', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE `reservations` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`order_id` char(36) NOT NULL,
	`product_id` int NOT NULL,
	`location_id` int NOT NULL,
	`qty` int NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'active',
	CONSTRAINT `reservations_id` PRIMARY KEY(`id`),
	CONSTRAINT `reservations_order_product_location` UNIQUE(`order_id`,`product_id`,`location_id`),
	CONSTRAINT `reservations_qty_nonneg` CHECK(qty >= 0),
	CONSTRAINT `reservations_status` CHECK(status in ('active', 'released', 'consumed'))
);
--> statement-breakpoint
ALTER TABLE `reservations` ADD CONSTRAINT `reservations_order_id_orders_id_fk` FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reservations` ADD CONSTRAINT `reservations_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reservations` ADD CONSTRAINT `reservations_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `orders_status_expiry` ON `orders` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `reservations_product_location` ON `reservations` (`product_id`,`location_id`,`status`);