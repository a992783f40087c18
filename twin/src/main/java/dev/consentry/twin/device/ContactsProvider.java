package dev.consentry.twin.device;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The two tables of com.android.contacts that prep writes: raw_contacts and data. Rows are column maps because
 * {@code content query} prints them that way; ids grow like SQLite AUTOINCREMENT and are never reused.
 */
public final class ContactsProvider {
    public static final String RAW_CONTACTS = "raw_contacts";
    public static final String DATA = "data";
    private static final String NAME_MIME = "vnd.android.cursor.item/name";
    private static final String PHONE_MIME = "vnd.android.cursor.item/phone_v2";

    private final Map<String, Table> tables = Map.of(RAW_CONTACTS, new Table(), DATA, new Table());

    private static final class Table {
        final Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
        long nextId = 1;
    }

    private volatile Runnable onChange = () -> { };

    /** Called after every change to the address book, as a ContentObserver on the contacts URI would be. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Inserts a whole contact (raw contact, name row, phone rows) as one change, as an importer's batch does. */
    public long insertContact(String name, List<String> phones) {
        long id;
        synchronized (this) {
            id = insertRow(RAW_CONTACTS, Map.of());
            insertRow(DATA, Map.of("raw_contact_id", Long.toString(id), "mimetype", NAME_MIME, "data1", name));
            for (String p : phones) {
                insertRow(DATA, Map.of("raw_contact_id", Long.toString(id), "mimetype", PHONE_MIME, "data1", p,
                        "data2", "2"));
            }
        }
        onChange.run();
        return id;
    }

    public boolean hasTable(String table) {
        return tables.containsKey(table);
    }

    /** @return the new row's _id */
    public long insert(String table, Map<String, String> values) {
        long id = insertRow(table, values);
        onChange.run();
        return id;
    }

    private synchronized long insertRow(String table, Map<String, String> values) {
        Table t = tables.get(table);
        Map<String, String> row = new LinkedHashMap<>();
        long id = t.nextId++;
        row.put("_id", Long.toString(id));
        if (table.equals(RAW_CONTACTS)) {
            row.put("account_name", null);
            row.put("account_type", null);
            row.put("deleted", "0");
        }
        values.forEach((k, v) -> {
            if (!k.equals("_id")) {
                row.put(k, v);
            }
        });
        t.rows.put(id, row);
        return id;
    }

    public synchronized List<Map<String, String>> query(String table, Predicate<Map<String, String>> where) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> row : tables.get(table).rows.values()) {
            if (where.test(row)) {
                out.add(new LinkedHashMap<>(row));
            }
        }
        return out;
    }

    /**
     * Deleting a raw contact deletes its data rows too: for contacts in no account (what prep inserts) Android's
     * provider removes them outright instead of marking them deleted for a sync adapter.
     */
    public int delete(String table, Predicate<Map<String, String>> where) {
        int n = deleteRows(table, where);
        if (n > 0) {
            onChange.run();
        }
        return n;
    }

    private synchronized int deleteRows(String table, Predicate<Map<String, String>> where) {
        Table t = tables.get(table);
        List<Long> ids = new ArrayList<>();
        t.rows.forEach((id, row) -> {
            if (where.test(row)) {
                ids.add(id);
            }
        });
        ids.forEach(t.rows::remove);
        if (table.equals(RAW_CONTACTS)) {
            tables.get(DATA).rows.values().removeIf(r -> ids.contains(parseId(r.get("raw_contact_id"))));
        }
        return ids.size();
    }

    public synchronized List<Contact> contacts() {
        List<Contact> out = new ArrayList<>();
        for (Long rawId : tables.get(RAW_CONTACTS).rows.keySet()) {
            String name = "";
            List<String> phones = new ArrayList<>();
            for (Map<String, String> d : tables.get(DATA).rows.values()) {
                if (parseId(d.get("raw_contact_id")) != rawId || d.get("data1") == null) {
                    continue;
                }
                if (NAME_MIME.equals(d.get("mimetype"))) {
                    name = d.get("data1");
                } else if (PHONE_MIME.equals(d.get("mimetype"))) {
                    phones.add(d.get("data1"));
                }
            }
            out.add(new Contact(rawId, name, phones));
        }
        return out;
    }

    private static long parseId(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
