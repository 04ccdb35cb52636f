package io.modelyard.billing.metering;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a POST/PUT/PATCH/DELETE operation that changes nothing a refusal would have to undo (a prediction computes
 * and answers, nothing else): its usage is admitted and recorded in one step after it succeeded, as for GET,
 * instead of reserving quota before it runs and settling after. If the quota refuses, the caller gets 402 and
 * never sees the result.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ChargedOnSuccess {
}
