// Package tickets holds what citizens' escalated questions become: tickets, their
// conversation, and the staff who answer them. It knows nothing about Telegram or HTTP;
// its methods take the database handle to run on, so a caller can make a ticket change
// and what follows from it (messages to send) one transaction.
package tickets
