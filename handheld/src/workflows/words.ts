/** Shown when a location is needed but the site's locations never reached this device. */
export const NO_LOCATIONS = 'This device has not loaded the site’s locations yet: connect to the hub once, then scan again.'
