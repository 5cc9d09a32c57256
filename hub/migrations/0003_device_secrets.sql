ALTER TABLE `devices` ADD `secret_sealed` varchar(255);--> statement-breakpoint
ALTER TABLE `devices` ADD `secret_rotated_at` datetime(3);--> statement-breakpoint
ALTER TABLE `devices` ADD `registered_at` datetime(3) DEFAULT CURRENT_TIMESTAMP(3) NOT NULL;