#!/usr/bin/env python3
"""Writes the SQL of bench/timeline's workload to stdout: a binlog that looks like production.

Multi-row INSERT statements (their text is logged as ANNOTATE_ROWS / ROWS_QUERY) into several tables of varied
column types, thousands of small transactions (single-row updates and inserts), a big UPDATE and a DELETE.
Deterministic: the same arguments give the same SQL.
"""
import random, sys

statements = int(sys.argv[1]) if len(sys.argv) > 1 else 500
rows_per_statement = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
rng = random.Random(20261130)
out = sys.stdout
w = out.write
w("""DROP DATABASE IF EXISTS tl;
CREATE DATABASE tl;
USE tl;
CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(80), email VARCHAR(120), country CHAR(2),
  created DATETIME(3), score DOUBLE, vip TINYINT(1)) ENGINE=InnoDB;
CREATE TABLE orders (id BIGINT UNSIGNED PRIMARY KEY, customer_id INT NOT NULL, status ENUM('new','paid','shipped','lost'),
  total DECIMAL(12,2), placed_at TIMESTAMP(6), note VARCHAR(200), flags SET('gift','express','fragile')) ENGINE=InnoDB;
CREATE TABLE events (id BIGINT PRIMARY KEY, kind VARCHAR(20), payload JSON, raw BLOB, at DATETIME(6)) ENGINE=InnoDB;
""")
tables = ["customers", "orders", "events"]
next_id = {t: 1 for t in tables}
countries = ["DE", "FR", "NL", "US", "BR", "JP", "IN", "ZA"]
statuses = ["new", "paid", "shipped", "lost"]

def customer_row(i):
    return "(%d,'Customer %d für %s','c%d@example.com','%s','2026-01-01 00:00:00.000' + INTERVAL %d SECOND,%r,%d)" % (
        i, i, rng.choice(countries), i, rng.choice(countries), i, round(rng.random() * 1000, 3), i % 2)

def order_row(i):
    return "(%d,%d,'%s',%d.%02d,'2026-02-01 00:00:00' + INTERVAL %d SECOND,'note %d: %s','%s')" % (
        i, rng.randint(1, 50000), rng.choice(statuses), rng.randint(0, 99999), rng.randint(0, 99), i, i,
        "x" * rng.randint(0, 60), rng.choice(["gift", "express", "gift,fragile", ""]))

def event_row(i):
    return "(%d,'%s','{\"sku\": %d, \"qty\": %d, \"tags\": [\"a\", \"b\"]}',UNHEX('%s'),'2026-03-01' + INTERVAL %d SECOND)" % (
        i, rng.choice(["view", "click", "buy", "refund"]), rng.randint(1, 9999), rng.randint(1, 9),
        "%032x" % rng.getrandbits(128), i)

makers = {"customers": customer_row, "orders": order_row, "events": event_row}
for n in range(statements):
    table = tables[n % 3]
    start = next_id[table]
    values = ",".join(makers[table](start + k) for k in range(rows_per_statement))
    next_id[table] = start + rows_per_statement
    w("INSERT INTO %s VALUES %s;\n" % (table, values))
    # Small transactions between the big ones.
    for _ in range(10):
        c = rng.randint(1, max(1, next_id["customers"] - 1))
        w("UPDATE customers SET score = score + 1, email = 'u%d@example.com' WHERE id = %d;\n" % (n, c))
    o = next_id["orders"]
    w("BEGIN; INSERT INTO orders VALUES %s; UPDATE orders SET status = 'paid' WHERE id = %d; COMMIT;\n" % (
        order_row(o), rng.randint(1, o)))
    next_id["orders"] = o + 1
w("UPDATE orders SET status = 'shipped', note = CONCAT(note, ' (shipped)') WHERE id % 3 = 0;\n")
w("DELETE FROM events WHERE id % 2 = 0;\n")
