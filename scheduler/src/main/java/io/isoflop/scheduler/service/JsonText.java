package io.isoflop.scheduler.service;

import com.google.gson.JsonObject;

/** Reading a text field of a resource's JSON (status, conditions) that may be absent or null. */
public final class JsonText {
    private JsonText() {}

    public static String text(JsonObject object, String key, String otherwise) {
        return object.has(key) && !object.get(key).isJsonNull() ? object.get(key).getAsString() : otherwise;
    }
}
