-- A plan bounds the pixels one prediction request may carry: width x height read from each image's header,
-- summed over the request's images. Null: the platform's default (modelyard.serving.max-image-pixels-per-request).
-- The bound is worker memory: a decoded image costs 4 bytes a pixel, so 16 Mi pixels are 64 MiB at once.
-- (if not exists, and updates that only fill what is still null: the newest migration must run again on a schema
-- that has it, as SchemaVersionIT makes it, without overwriting a value an operator set)
alter table plans add column if not exists max_image_pixels_per_request bigint
  check (max_image_pixels_per_request > 0);

-- Grows with the tiers as the upload limit and concurrent jobs do: free a few photos' worth (16 Mi pixels: a
-- 12-megapixel photo, or sixteen 1024 x 1024 images), starter twice that, pro the platform default, enterprise
-- twice the default.
update plans set max_image_pixels_per_request = 16777216  where name = 'free'       and max_image_pixels_per_request is null;
update plans set max_image_pixels_per_request = 33554432  where name = 'starter'    and max_image_pixels_per_request is null;
update plans set max_image_pixels_per_request = 67108864  where name = 'pro'        and max_image_pixels_per_request is null;
update plans set max_image_pixels_per_request = 134217728 where name = 'enterprise' and max_image_pixels_per_request is null;
