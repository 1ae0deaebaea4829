"""The login conversation: creation, password masking, wrong passwords, name
rules, case, a name taken during creation, and throttling."""

import os
import sqlite3

from ruin import ECHO, WILL, WONT, Profile, RuinTestCase

NAME_PROMPT = "By what name are you known? "


def echo_events(c, start=0):
    """[(text_offset, "WILL"/"WONT")] for every ECHO negotiation received."""
    return [(e[0], "WILL" if e[2] == WILL else "WONT") for e in c.events
            if e[1] == "neg" and e[3] == ECHO and e[2] in (WILL, WONT) and e[0] >= start]


class Creation(RuinTestCase):
    def test_full_creation_is_stored(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.create("Ayla", "correct horse", path="scout", pronouns="she")
        self.assertIn("Lantern Square", c.cmd("look"))
        db = sqlite3.connect("file:%s?mode=ro" % srv.db, uri=True, timeout=5)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            dump = "\n".join(db.iterdump())
        finally:
            db.close()
        self.assertIn("Ayla", dump, "no row for Ayla in tables %s" % tables)
        self.assertIn("$argon2id$", dump, "no argon2id hash stored")
        self.assertNotIn("correct horse", dump, "the password itself is in the database")
        self.assertNotIn("correct horse", srv.log_text(), "the password is in the log")

    def test_entering_the_game_shows_the_room_and_the_state(self):
        srv = self.start_server()
        c = self.connect(srv, Profile.plain())
        c.create("Newcomer", "secret word")
        self.assertIn("Lantern Square", c.entry_text, "the start room was not shown")
        self.assertIn("[Exits: north east south west]", c.entry_text)
        for package in ("Char.Name", "Char.Vitals", "Char.Status", "Room.Info"):
            c.gmcp_wait(package)
        c.cmd("east")
        c.send_line("quit")
        c.expect_closed()
        c = self.connect(srv, Profile.plain()).login("Newcomer", "secret word")
        self.assertIn("Market Lane", c.entry_text, "the room was not shown at login")
        self.assertEqual(c.gmcp_wait("Room.Info")[1]["name"], "Market Lane")

    def test_short_and_mismatched_passwords_are_asked_again(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.read_text(NAME_PROMPT)
        c.send_line("Bodhi")
        c.read_text("Is that the name you want (yes/no)? ")
        c.send_line("yes")
        c.read_text("Password: ")
        c.send_line("abc")
        c.read_text("A password has 6 to 128 characters.")
        c.read_text("Password: ")
        c.send_line("first one")
        c.read_text("Type it again: ")
        c.send_line("other one")
        c.read_text("The passwords do not match.")
        c.read_text("Password: ")
        c.send_line("good pass")
        c.read_text("Type it again: ")
        c.send_line("good pass")
        c.read_text("Choose they, he or she: ")
        c.send_line("xyz")
        c.read_text("Choose they, he or she: ")
        c.send_line("he")
        c.read_text("Your path: ")
        c.send_line("juggler")
        c.read_text("That is not one of the paths.")
        c.read_text("Your path: ")
        c.send_line("scholar")
        c.read_text("Welcome to Forgotten Ruin, Bodhi.")
        # The password that was typed for the real login works.
        c.send_line("quit")
        c.expect_closed()
        self.connect(srv).login("Bodhi", "good pass")


class PasswordMasking(RuinTestCase):
    def check_masked(self, c, start, prompt, password, next_prompt):
        """Between prompt and next_prompt: WILL ECHO at or before the prompt,
        WONT ECHO after it, and the password nowhere in the text."""
        p = c.text.find(prompt.encode(), start)
        q = c.text.find(next_prompt.encode(), p)
        self.assertGreaterEqual(p, 0)
        self.assertGreater(q, p)
        ev = echo_events(c, start)
        will = [o for o, k in ev if k == "WILL" and o <= p]
        wont = [o for o, k in ev if k == "WONT" and p + len(prompt) <= o <= q]
        self.assertTrue(will, "no IAC WILL ECHO before %r: %r" % (prompt, ev))
        self.assertTrue(wont, "no IAC WONT ECHO after %r: %r" % (prompt, ev))
        self.assertNotIn(password.encode(), c.text[p:q + len(next_prompt)])
        return q

    def test_creation_masks_both_passwords(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.create("Masked", "hidden words")
        q = self.check_masked(c, 0, "Password: ", "hidden words", "Type it again: ")
        self.check_masked(c, q, "Type it again: ", "hidden words", "Choose they, he or she: ")
        ev = [k for o, k in echo_events(c)]
        self.assertEqual(ev, ["WILL", "WONT", "WILL", "WONT"])
        self.assertNotIn(b"hidden words", c.wire)
        self.assertFalse(c.echo_off, "echo left off after creation")

    def test_login_masks_the_password(self):
        srv = self.start_server()
        self.connect(srv).create("Veiled", "hidden words").send_line("quit")
        c = self.connect(srv)
        c.login("Veiled", "hidden words")
        self.check_masked(c, 0, "Password: ", "hidden words", "Welcome back, Veiled.")
        self.assertEqual([k for o, k in echo_events(c)], ["WILL", "WONT"])
        self.assertNotIn(b"hidden words", c.wire)

    def test_the_second_toggle_is_sent_to_a_client_that_never_answers(self):
        # Like TinTin++: it never answers WONT ECHO (and here never answers
        # anything about ECHO); the server must still send every toggle.
        srv = self.start_server()
        c = self.connect(srv, Profile(echo=False))
        c.create("Silent", "hidden words")
        self.assertEqual([k for o, k in echo_events(c)], ["WILL", "WONT", "WILL", "WONT"])


class WrongPassword(RuinTestCase):
    def test_three_wrong_passwords_close_the_connection(self):
        srv = self.start_server()
        self.connect(srv).create("Keeper", "right one").send_line("quit")
        c = self.connect(srv)
        c.read_text(NAME_PROMPT)
        c.send_line("Keeper")
        for attempt in range(2):
            c.read_text("Password: ")
            c.send_line("wrong %d" % attempt)
            c.read_text("Wrong password.")
        c.read_text("Password: ")
        c.send_line("wrong 3")
        c.read_text("Wrong password. Goodbye.")
        c.expect_closed()
        self.assertFalse(c.echo_off, "the connection was closed with echo still off")
        self.assertRegex(srv.log_text(), r"failed login for Keeper")
        # The right password still works from a fresh connection.
        self.connect(srv).login("Keeper", "right one")


class Names(RuinTestCase):
    def test_bad_names_are_refused_and_asked_again(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.read_text(NAME_PROMPT)
        cases = [("Al", "A name has 3 to 16 letters."),
                 ("Abcdefghijklmnopq", "A name has 3 to 16 letters."),
                 ("Ay1a", "A name has letters only, A to Z."),
                 ("Jo Jo", "A name has letters only, A to Z."),
                 ("Z\u00e9lie", "A name has letters only, A to Z."),
                 ("admin", "That name is not available."),
                 ("SOMEONE", "That name is not available."),
                 ("north", "That name is not available.")]
        for name, why in cases:
            c.send_line(name)
            c.read_text(why)
            c.read_text(NAME_PROMPT)
        c.send_line("Fine")
        c.read_text("No one here goes by Fine yet.")

    def test_names_are_case_insensitive(self):
        srv = self.start_server()
        c = self.connect(srv)
        c.create("ayla", "secret word")  # stored capitalized
        self.assertIn("Welcome to Forgotten Ruin, Ayla.", c.since(0))
        c.send_line("quit")
        c.expect_closed()
        self.connect(srv).login("AYLA", "secret word", welcome=r"Welcome back, Ayla\.")
        # And a new creation under another case is not a new character.
        c3 = self.connect(srv)
        c3.read_text(NAME_PROMPT)
        c3.send_line("aYLA")
        c3.read_text("Password: ")

    def test_name_taken_during_creation(self):
        srv = self.start_server()
        slow = self.connect(srv)
        slow.read_text(NAME_PROMPT)
        slow.send_line("Bryn")
        slow.read_text("Is that the name you want (yes/no)? ")
        slow.send_line("yes")
        slow.read_text("Password: ")
        slow.send_line("first pass")
        slow.read_text("Type it again: ")
        slow.send_line("first pass")
        slow.read_text("Choose they, he or she: ")
        slow.send_line("they")
        slow.read_text("Your path: ")
        # Meanwhile someone else takes the name and finishes first.
        fast = self.connect(srv).create("Bryn", "other pass")
        slow.send_line("fighter")
        slow.read_text("That name was taken a moment ago. Please choose another.")
        slow.read_text(NAME_PROMPT)
        slow.send_line("Brynja")
        slow.read_text("Is that the name you want (yes/no)? ")
        self.assertIn("Lantern Square", fast.cmd("look"))
        # Only one Bryn exists, and it has the fast player's password.
        fast.send_line("quit")
        fast.expect_closed()
        self.connect(srv).login("Bryn", "other pass")


class Throttling(RuinTestCase):
    def fail_logins(self, srv, name, times, source):
        left = times
        while left > 0:
            c = self.connect(srv, source=source)
            c.read_text(NAME_PROMPT)
            c.send_line(name)
            for _ in range(min(left, 3)):
                c.read_text("Password: ")
                c.send_line("not the password")
                c.read_until(r"Wrong password\.|Too many failed logins")
                left -= 1
            c.close()

    def test_failed_login_records_expire_on_their_own(self):
        # A record used to go only when its name or address tried again, so
        # failures from ever new addresses grew the tables for good.
        srv = self.start_server(login_failures=3, login_window_s=1, log_level="debug")
        self.connect(srv).create("Eira", "eira pass").send_line("quit")
        self.fail_logins(srv, "Eira", 1, "127.0.0.3")
        # Neither tries again: the name's record and the address's go anyway.
        srv.wait_log(r"logins: forgot 2 failed-login record\(s\) past their window", timeout=10)
        self.connect(srv, source="127.0.0.3").login("Eira", "eira pass")

    def test_failures_throttle_the_name_and_the_address(self):
        srv = self.start_server(login_failures=2, login_window_s=300)
        self.connect(srv).create("Cato", "cato pass").send_line("quit")
        self.connect(srv).create("Dara", "dara pass").send_line("quit")
        self.fail_logins(srv, "Cato", 2, "127.0.0.1")
        # The name is throttled from anywhere, even with the right password.
        other = self.connect(srv, source="127.0.0.2")
        other.read_text(NAME_PROMPT)
        other.send_line("Cato")
        other.read_text("That character has had too many failed logins.")
        other.read_text(NAME_PROMPT)
        # The other address may still log in to another character...
        other.send_line("Dara")
        other.read_text("Password: ")
        other.send_line("dara pass")
        other.read_text("Welcome back, Dara.")
        # ...but the address that failed may not, even with a right password.
        same = self.connect(srv, source="127.0.0.1")
        same.read_text(NAME_PROMPT)
        same.send_line("Dara")
        same.read_text("Password: ")
        same.send_line("dara pass")
        same.read_text("Too many failed logins.")
        same.expect_closed()
        self.assertRegex(srv.log_text(), r"login for Dara from 127\.0\.0\.1 refused")
