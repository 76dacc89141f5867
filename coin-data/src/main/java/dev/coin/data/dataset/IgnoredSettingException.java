package dev.coin.data.dataset;

/**
 * A builder was given a setting that would have no effect with the others it was given. Thrown by {@code build()},
 * never later; the message names the setting, its value and what to do instead.
 */
public final class IgnoredSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String value;

    public IgnoredSettingException(String setting, Object value, String message) {
        super(message);
        this.setting = setting;
        this.value = String.valueOf(value);
    }

    /** The builder method whose value would be ignored, e.g. {@code "BatchLoader.Builder.seed"}. */
    public String setting() {
        return setting;
    }

    /** The value it was given, as text. */
    public String value() {
        return value;
    }
}
